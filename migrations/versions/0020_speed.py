"""people: stored French sort keys of the names and their index (SQLite's list order)

Revision ID: 0020
Revises: 0017
Create Date: 2026-12-03 14:15:00

"""
from alembic import op
import sqlalchemy as sa

from hr_social.db import french_sort_key


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_name_key', sa.Text(), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('first_name_key', sa.Text(), server_default='',
                                      nullable=False))
    bind = op.get_bind()
    people = sa.table('people', sa.column('id', sa.Integer), sa.column('first_name'),
                      sa.column('last_name'), sa.column('first_name_key'),
                      sa.column('last_name_key'))
    rows = bind.execute(sa.select(people.c.id, people.c.first_name, people.c.last_name)).all()
    if rows:
        bind.execute(people.update().where(people.c.id == sa.bindparam('row_id')).values(
            first_name_key=sa.bindparam('first_key'), last_name_key=sa.bindparam('last_key')),
            [{'row_id': row.id, 'first_key': french_sort_key(row.first_name),
              'last_key': french_sort_key(row.last_name)} for row in rows])
    if bind.dialect.name == 'sqlite':  # PostgreSQL sorts with ix_people_french_name
        op.create_index('ix_people_french_key', 'people',
                        ['last_name_key', 'first_name_key', 'id', 'is_active', 'service_id',
                         'search_text', 'email'], unique=False)


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        op.drop_index('ix_people_french_key', table_name='people')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('first_name_key')
        batch_op.drop_column('last_name_key')
