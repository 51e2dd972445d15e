"""people: hiring date (discipline refuses facts before it); attachments: removed_at

Revision ID: 0012
Revises: 0008
Create Date: 2026-12-03 11:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('removed_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hired_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('hired_on')
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_column('removed_at')
