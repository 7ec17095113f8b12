"""Alembic environment: the schema comes only from these migrations, checked against the models."""

from alembic import context
from sqlalchemy import Connection, Engine

import api.models
from api.db import make_engine
from api.settings import get_settings

config = context.config
target_metadata = api.models.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters tables by copying them; batch mode does that for us
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run against a connection handed in by the caller (tests, CLI) or the configured database."""
    connectable = config.attributes.get("connection")
    if isinstance(connectable, Connection):
        _run(connectable)
        return
    engine: Engine = connectable if isinstance(connectable, Engine) else make_engine(get_settings().database_url)
    with engine.connect() as connection:
        _run(connection)


if context.is_offline_mode():
    raise SystemExit("Accord's migrations run online only: use `accord db upgrade`.")
run_migrations_online()
