"""The schema itself refuses what no code should ever write: unknown states, duplicate grants."""

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE revision SET state = 'draft'",
        "UPDATE paragraph_version SET status = 'nearly agreed'",
        "UPDATE delegation SET kind = 'planet'",
        "UPDATE role_grant SET role = 'king'",
        # a second "every process" grant of the same role to the same person
        "INSERT INTO role_grant (user_id, process_id, role) SELECT user_id, NULL, role FROM role_grant "
        "WHERE process_id IS NULL",
    ],
)
def test_the_database_refuses_unknown_values(seeded_engine: Engine, statement: str) -> None:
    with pytest.raises(IntegrityError), seeded_engine.begin() as connection:
        connection.execute(text(statement))
