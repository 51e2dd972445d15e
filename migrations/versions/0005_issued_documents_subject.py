"""issued documents point to any subject (subject_type / subject_id)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 10:00:00

Existing rows become subject_type 'acknowledgement' with the same id, so codes already
printed on paper keep verifying. Going down keeps only acknowledgement documents (the old
table cannot hold other subjects).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('issued_documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject_type', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('subject_id', sa.Integer(), nullable=True))
    op.execute("UPDATE issued_documents SET subject_type = 'acknowledgement', "
               "subject_id = acknowledgement_id")
    with op.batch_alter_table('issued_documents', schema=None) as batch_op:
        batch_op.alter_column('subject_type', existing_type=sa.String(length=60),
                              nullable=False)
        batch_op.alter_column('subject_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_index(batch_op.f('ix_issued_documents_acknowledgement_id'))
        batch_op.drop_constraint(
            batch_op.f('fk_issued_documents_acknowledgement_id_acknowledgements'),
            type_='foreignkey')
        batch_op.drop_column('acknowledgement_id')
        batch_op.create_index('ix_issued_documents_subject', ['subject_type', 'subject_id'],
                              unique=False)


def downgrade():
    op.execute("DELETE FROM issued_documents WHERE subject_type <> 'acknowledgement'")
    with op.batch_alter_table('issued_documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('acknowledgement_id', sa.Integer(), nullable=True))
    op.execute("UPDATE issued_documents SET acknowledgement_id = subject_id")
    with op.batch_alter_table('issued_documents', schema=None) as batch_op:
        batch_op.alter_column('acknowledgement_id', existing_type=sa.Integer(),
                              nullable=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_issued_documents_acknowledgement_id_acknowledgements'),
            'acknowledgements', ['acknowledgement_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_issued_documents_acknowledgement_id'),
                              ['acknowledgement_id'], unique=False)
        batch_op.drop_index('ix_issued_documents_subject')
        batch_op.drop_column('subject_id')
        batch_op.drop_column('subject_type')
