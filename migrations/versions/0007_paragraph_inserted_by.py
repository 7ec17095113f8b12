"""paragraph inserted by a proposal

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-03 13:45:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    # A plain ADD COLUMN (no batch copy): every paragraph version refers to the paragraph table.
    op.add_column('paragraph', sa.Column('inserted_by_id', sa.Integer(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_column('paragraph', 'inserted_by_id')
