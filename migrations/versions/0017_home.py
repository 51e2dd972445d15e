"""users: the home page's last visit (news since then); access_requests: the manager's
recommendation becomes favourable / unfavourable plus a comment

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-03 13:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('home_visited_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('home_news_since', sa.DateTime(), nullable=True))
    # Recommendations written before keep their text; their opinion stays unknown (NULL).
    with op.batch_alter_table('access_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recommendation_opinion', sa.String(length=20),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('access_requests', schema=None) as batch_op:
        batch_op.drop_column('recommendation_opinion')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('home_news_since')
        batch_op.drop_column('home_visited_at')
