"""users: trigram index on the user name (PostgreSQL; a plain index elsewhere), for the
accounts list's search

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-05 00:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    opclass = 'gin_trgm_ops'
    if bind.dialect.name == "postgresql":
        # Created by 0008, maybe in another schema than ours (installed earlier elsewhere).
        schema = bind.scalar(sa.text("SELECT extnamespace::regnamespace::text "
                                     "FROM pg_extension WHERE extname = 'pg_trgm'"))
        opclass = f"{schema}.gin_trgm_ops"
    op.create_index('ix_users_username_trigram', 'users', ['username'], unique=False,
                    postgresql_using='gin', postgresql_ops={'username': opclass})


def downgrade():
    op.drop_index('ix_users_username_trigram', table_name='users')
