"""outgoing_emails: a document sent with the message (a convocation letter's PDF)

Revision ID: 0021
Revises: 0012
Create Date: 2026-12-03 14:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outgoing_emails', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attachment_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_outgoing_emails_attachment_id_attachments'),
                                    'attachments', ['attachment_id'], ['id'])


def downgrade():
    with op.batch_alter_table('outgoing_emails', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outgoing_emails_attachment_id_attachments'),
                                 type_='foreignkey')
        batch_op.drop_column('attachment_id')
