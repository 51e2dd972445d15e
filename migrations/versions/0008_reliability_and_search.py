"""withdrawn drafts, mail retry times, renewals decided by the DG

Revision ID: 0008
Revises: 0004
Create Date: 2026-12-03 09:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0004'
branch_labels = None
depends_on = None

SUBMITTED_CHECK = "ck_access_requests_submitted_has_date"
SUBMITTED_OLD = "state = 'draft' OR submitted_at IS NOT NULL"
SUBMITTED_NEW = "state IN ('draft', 'withdrawn') OR submitted_at IS NOT NULL"


def _replace_submitted_check(sql):
    """SQLite rebuilds the table to change a CHECK; its DROP TABLE deletes the rows first and
    that cascades to access_items, so the items are kept aside and put back."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("CREATE TEMP TABLE saved_access_items AS SELECT * FROM access_items")
    with op.batch_alter_table('access_requests', schema=None) as batch_op:
        batch_op.drop_constraint(op.f(SUBMITTED_CHECK), type_='check')
        batch_op.create_check_constraint(op.f(SUBMITTED_CHECK), sa.text(sql))
    if sqlite:
        op.execute("DELETE FROM access_items")
        op.execute("INSERT INTO access_items SELECT * FROM saved_access_items")
        op.execute("DROP TABLE saved_access_items")


def upgrade():
    _replace_submitted_check(SUBMITTED_NEW)
    with op.batch_alter_table('outgoing_emails', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('access_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('renewal_proposed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('renewal_proposed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('renewal_proposed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('renewal_decision_note', sa.Text(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_access_items_renewal_proposed_by_id_users'),
                                    'users', ['renewal_proposed_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('access_items', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_access_items_renewal_proposed_by_id_users'),
                                 type_='foreignkey')
        batch_op.drop_column('renewal_decision_note')
        batch_op.drop_column('renewal_proposed_at')
        batch_op.drop_column('renewal_proposed_by_id')
        batch_op.drop_column('renewal_proposed_on')
    with op.batch_alter_table('outgoing_emails', schema=None) as batch_op:
        batch_op.drop_column('next_attempt_at')
    # Drafts withdrawn before submission had no date: give them their closing date.
    op.execute("UPDATE access_requests SET submitted_at = closed_at "
               "WHERE state = 'withdrawn' AND submitted_at IS NULL")
    _replace_submitted_check(SUBMITTED_OLD)
