"""known values and one grant per role

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 11:29:03.603737

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


# (table, column, allowed values): the CHECK constraints the models declare with one_of().
KNOWN_VALUES = [
    ("proposal", "action", ("amend", "insert", "delete")),
    ("proposal", "state", ("submitted", "withdrawn", "accepted", "accepted_with_changes", "rejected", "deferred", "superseded")),
    ("ruling", "decision", ("accept", "accept_with_changes", "reject", "defer")),
    ("revision", "state", ("working", "published")),
    ("paragraph_version", "part", ("front", "body", "annex1", "annex2")),
    ("paragraph_version", "kind", ("paragraph", "subparagraph", "heading", "unnumbered")),
    ("paragraph_version", "status", ("open", "bracketed", "agreed_ad_ref", "agreed")),
    ("delegation", "kind", ("member_state", "observer_state", "group", "organisation")),
    ("role_grant", "role", ("secretariat", "cofacilitator", "delegation", "observer")),
]


def upgrade() -> None:
    """Upgrade schema."""
    for table, column, values in KNOWN_VALUES:
        listed = ", ".join(f"'{value}'" for value in values)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_check_constraint(f"{column}_known", f"{column} IN ({listed})")
    with op.batch_alter_table('role_grant', schema=None) as batch_op:
        batch_op.create_index('uq_role_grant_every_process', ['user_id', 'role'], unique=True, sqlite_where=sa.text('process_id IS NULL'), postgresql_where=sa.text('process_id IS NULL'))

    # ### end Alembic commands ###


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('role_grant', schema=None) as batch_op:
        batch_op.drop_index('uq_role_grant_every_process', sqlite_where=sa.text('process_id IS NULL'), postgresql_where=sa.text('process_id IS NULL'))
    for table, column, _values in reversed(KNOWN_VALUES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f"{column}_known", type_="check")

    # ### end Alembic commands ###
