"""formatting spans beside a paragraph's text

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 18:30:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    # A plain ADD COLUMN (no batch copy: other tables refer to paragraph_version); the versions written
    # so far have no formatting, which the constant default says on both engines.
    op.add_column(
        'paragraph_version',
        sa.Column('formatting', sa.JSON(), nullable=False, server_default=sa.text("'[]'")),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_column('paragraph_version', 'formatting')
