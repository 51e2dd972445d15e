"""people: index of the people who have left (home counts, accounts list)

Revision ID: 0022
Revises: 0020
Create Date: 2026-12-04 16:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    departed = sa.text('is_active IS false') if op.get_bind().dialect.name == 'postgresql' \
        else sa.text('is_active IS 0')
    op.create_index('ix_people_departed', 'people', ['id'], unique=False,
                    sqlite_where=departed, postgresql_where=departed)


def downgrade():
    op.drop_index('ix_people_departed', table_name='people')
