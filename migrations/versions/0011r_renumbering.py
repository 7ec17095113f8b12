"""renumbering at publication, preambular and operative paragraphs, a symbol pattern per process

Revision ID: 0011r
Revises: 0010
Create Date: 2026-12-04 19:50:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = '0011r'
down_revision: Union[str, Sequence[str], None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    # Plain ADD COLUMNs (no batch copy): other tables refer to paragraph_version and process.
    op.add_column(
        'paragraph_version',
        sa.Column('former_number', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    )
    op.add_column(
        'paragraph_version',
        sa.Column('preambular', sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        'process', sa.Column('symbol_pattern', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True)
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_column('process', 'symbol_pattern')
    op.drop_column('paragraph_version', 'preambular')
    op.drop_column('paragraph_version', 'former_number')
