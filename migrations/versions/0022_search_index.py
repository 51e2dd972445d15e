"""people: index of the people who have left (home counts, accounts list); SQLite: the FTS5
trigram table that answers name and number searches (people.search); access items: the
person's index holds the state too (a search counts current grants from the index); access
requests: the queue's index holds the requester, the requester's index the state

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

# As hr_social.people.models.SQLITE_SEARCH_DDL on the day of this revision.
SQLITE_SEARCH = (
    "CREATE VIRTUAL TABLE people_search USING fts5(search_text, content='people', "
    "content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER people_search_insert AFTER INSERT ON people BEGIN "
    "INSERT INTO people_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER people_search_delete AFTER DELETE ON people BEGIN "
    "INSERT INTO people_search(people_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER people_search_update AFTER UPDATE OF search_text ON people BEGIN "
    "INSERT INTO people_search(people_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO people_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO people_search(people_search) VALUES ('rebuild')",  # the people already there
)


def upgrade():
    sqlite = op.get_bind().dialect.name == 'sqlite'
    departed = sa.text('is_active IS 0') if sqlite else sa.text('is_active IS false')
    op.create_index('ix_people_departed', 'people', ['id'], unique=False,
                    sqlite_where=departed, postgresql_where=departed)
    with op.batch_alter_table('access_items', schema=None) as batch_op:
        batch_op.drop_index('ix_access_items_person_id')
        batch_op.create_index('ix_access_items_person_state', ['person_id', 'state'],
                              unique=False)
    with op.batch_alter_table('access_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_access_requests_state_submitted')
        batch_op.drop_index('ix_access_requests_requester_id')
        batch_op.create_index('ix_access_requests_queue',
                              ['state', 'submitted_at', 'requester_id'], unique=False)
        batch_op.create_index('ix_access_requests_requester_state', ['requester_id', 'state'],
                              unique=False)
    if sqlite:
        for statement in SQLITE_SEARCH:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        for trigger in ('insert', 'delete', 'update'):
            op.execute(f'DROP TRIGGER people_search_{trigger}')
        op.execute('DROP TABLE people_search')
    op.drop_index('ix_people_departed', table_name='people')
    with op.batch_alter_table('access_items', schema=None) as batch_op:
        batch_op.drop_index('ix_access_items_person_state')
        batch_op.create_index('ix_access_items_person_id', ['person_id'], unique=False)
    with op.batch_alter_table('access_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_access_requests_requester_state')
        batch_op.drop_index('ix_access_requests_queue')
        batch_op.create_index('ix_access_requests_requester_id', ['requester_id'],
                              unique=False)
        batch_op.create_index('ix_access_requests_state_submitted', ['state', 'submitted_at'],
                              unique=False)
