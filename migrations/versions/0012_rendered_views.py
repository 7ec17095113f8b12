"""reading views of published revisions, rendered at publication

Revision ID: 0012
Revises: 0009
Create Date: 2026-12-04 18:50:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = '0012'
down_revision: Union[str, Sequence[str], None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema: a derived table (no existing row needs one; views are rendered when absent)."""
    op.create_table('rendered_view',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.Column('mac', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['revision_id'], ['revision.id'], name=op.f('fk_rendered_view_revision_id_revision'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rendered_view')),
    sa.UniqueConstraint('name', 'revision_id', name=op.f('uq_rendered_view_name_revision_id'))
    )
    with op.batch_alter_table('rendered_view', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rendered_view_revision_id'), ['revision_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('rendered_view', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rendered_view_revision_id'))

    op.drop_table('rendered_view')
