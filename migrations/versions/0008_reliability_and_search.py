"""withdrawn drafts, mail retry times, renewals decided by the DG, people search

Revision ID: 0008
Revises: 0010
Create Date: 2026-12-03 09:40:00

"""
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0011'
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


def _fold(text):
    """As hr_social.people.models.search_fold (migrations import no application code)."""
    decomposed = unicodedata.normalize("NFD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _add_people_search():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_text', sa.String(length=600), server_default='',
                                      nullable=False))
    bind = op.get_bind()
    people = sa.table('people', sa.column('id'), sa.column('first_name'),
                      sa.column('last_name'), sa.column('employee_number'),
                      sa.column('search_text'))
    rows = bind.execute(sa.select(people.c.id, people.c.first_name, people.c.last_name,
                                  people.c.employee_number)).all()
    for row in rows:
        text = _fold(" ".join(filter(None, (row.first_name, row.last_name,
                                            row.employee_number))))
        bind.execute(people.update().where(people.c.id == row.id).values(search_text=text))
    opclass = 'gin_trgm_ops'
    if bind.dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        # The extension may live in another schema than ours (installed earlier elsewhere).
        schema = bind.scalar(sa.text("SELECT extnamespace::regnamespace::text "
                                     "FROM pg_extension WHERE extname = 'pg_trgm'"))
        opclass = f"{schema}.gin_trgm_ops"
    op.create_index('ix_people_search_text', 'people', ['search_text'], unique=False,
                    postgresql_using='gin', postgresql_ops={'search_text': opclass})


def upgrade():
    _add_people_search()
    if op.get_bind().dialect.name == "postgresql":
        op.execute('CREATE INDEX ix_people_french_name ON people '
                   '((last_name COLLATE "fr-CA-x-icu"), (first_name COLLATE "fr-CA-x-icu"), id)')
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
        batch_op.create_index('ix_access_items_flagged', ['review_reason'], unique=False,
                              sqlite_where=sa.text('review_reason IS NOT NULL'),
                              postgresql_where=sa.text('review_reason IS NOT NULL'))
        batch_op.create_index('ix_access_items_renewal_proposed', ['renewal_proposed_on'],
                              unique=False,
                              sqlite_where=sa.text('renewal_proposed_on IS NOT NULL'),
                              postgresql_where=sa.text('renewal_proposed_on IS NOT NULL'))


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index('ix_people_french_name', table_name='people')
    op.drop_index('ix_people_search_text', table_name='people')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('search_text')
    with op.batch_alter_table('access_items', schema=None) as batch_op:
        batch_op.drop_index('ix_access_items_renewal_proposed')
        batch_op.drop_index('ix_access_items_flagged')
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
