"""outgoing e-mail subject (confidentiality); audit hash version (keyed chain)

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-03 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (no batch copy on SQLite: that would drop the append-only triggers).
    # Existing entries get 1: they keep verifying with plain SHA-256.
    op.add_column('audit_events', sa.Column('hash_version', sa.SmallInteger(),
                                            server_default='1', nullable=False))
    with op.batch_alter_table('outgoing_emails', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject_type', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('subject_id', sa.String(length=60), nullable=True))
        batch_op.create_index('ix_outgoing_emails_subject', ['subject_type', 'subject_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('outgoing_emails', schema=None) as batch_op:
        batch_op.drop_index('ix_outgoing_emails_subject')
        batch_op.drop_column('subject_id')
        batch_op.drop_column('subject_type')
    # SQLite >= 3.35 and PostgreSQL drop a column in place (the triggers stay).
    op.execute('ALTER TABLE audit_events DROP COLUMN hash_version')
