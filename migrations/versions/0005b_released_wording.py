"""the wording of each proposal as the last release published it

Revision ID: 0005b
Revises: 0005
Create Date: 2026-12-03 14:20:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = '0005b'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

COLUMNS = ('released_text', 'released_base_text', 'released_justification')


def upgrade() -> None:
    """Upgrade schema: observers read a proposal as released, not as edited since."""
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        for column in COLUMNS:
            batch_op.add_column(sa.Column(column, sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    # What earlier releases covered: everything tabled until then, in today's wording (the best we know).
    op.execute(
        "UPDATE proposal SET released_text = text, released_base_text = base_text, "
        "released_justification = justification WHERE EXISTS (SELECT 1 FROM process "
        "WHERE process.id = proposal.process_id AND process.compilation_released_at IS NOT NULL "
        "AND proposal.created_at <= process.compilation_released_at)"
    )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        for column in reversed(COLUMNS):
            batch_op.drop_column(column)
