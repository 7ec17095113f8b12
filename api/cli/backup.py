"""`accord backup FILE` and `accord restore FILE`: a consistent copy of the database, while it serves.

SQLite: the online backup API copies a consistent snapshot even while writers commit (a plain copy of a
live WAL database can miss committed transactions that sit in the -wal file). PostgreSQL: pg_dump in its
custom format, with the pg_dump of the server's own major version, and pg_restore.
"""

import re
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from api.cli.base import app, fail
from api.db import get_engine


@app.command("backup")
def backup(file: Annotated[Path, typer.Argument(help="Where to write the backup.")]) -> None:
    """Write a consistent backup of the database to FILE (safe while the server runs)."""
    engine = get_engine()
    if file.exists():
        fail(f"{file} exists; give a new file name")
    file.parent.mkdir(parents=True, exist_ok=True)
    if engine.dialect.name == "sqlite":
        _sqlite_copy(_sqlite_path(engine), file)
    else:
        _run(
            [
                _postgres_tool(engine, "pg_dump"),
                "--format=custom",
                "--no-owner",
                f"--file={file}",
                _libpq(engine),
            ]
        )
    print(f"backup written to {file} ({file.stat().st_size} bytes)")


@app.command("restore")
def restore(
    file: Annotated[Path, typer.Argument(help="A file written by `accord backup`.")],
    yes: Annotated[bool, typer.Option("--yes", help="Replace the current database without asking.")] = False,
) -> None:
    """Replace the database with the backup in FILE (stop the server first)."""
    if not file.is_file():
        fail(f"{file}: no such file")
    engine = get_engine()
    if not yes:
        typer.confirm(f"replace every row of {_name(engine)} with {file}?", abort=True)
    if engine.dialect.name == "sqlite":
        _check_sqlite_backup(file)
        _sqlite_copy(file, _sqlite_path(engine))
    else:
        tool = _postgres_tool(engine, "pg_restore")
        _run(
            [
                tool,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={_libpq(engine)}",
                str(file),
            ]
        )
    engine.dispose()
    print(f"restored {_name(engine)} from {file}; run `accord verify` to check it")


def _name(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _sqlite_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        fail("an in-memory SQLite database has nothing to back up")
    return Path(database)


def _sqlite_copy(source: Path, target: Path) -> None:
    # The backup API reads a consistent snapshot and writes the target under its own lock, page by page.
    with sqlite3.connect(source) as reader, sqlite3.connect(target, timeout=10) as writer:
        reader.backup(writer)
    reader.close()
    writer.close()


def _check_sqlite_backup(file: Path) -> None:
    try:
        with sqlite3.connect(f"file:{file}?mode=ro", uri=True) as connection:
            connection.execute("SELECT version_num FROM alembic_version").fetchone()
        connection.close()
    except sqlite3.DatabaseError:
        fail(f"{file} is not a backup of an Accord SQLite database")


def _libpq(engine: Engine) -> str:
    """The database URL as libpq (pg_dump, pg_restore) takes it: without SQLAlchemy's driver name."""
    return make_url(engine.url).set(drivername="postgresql").render_as_string(hide_password=False)


def _postgres_tool(engine: Engine, name: str) -> str:
    """The pg_dump or pg_restore of the server's major version (an older one refuses a newer server)."""
    with engine.connect() as connection:
        major = int(connection.execute(text("SHOW server_version_num")).scalar_one()) // 10_000
    candidates = [Path(f"/usr/lib/postgresql/{major}/bin/{name}")]
    found = shutil.which(name)
    if found:
        candidates.append(Path(found))
    for candidate in candidates:
        if candidate.is_file() and _major_of(candidate) == major:
            return str(candidate)
    fail(f"no {name} of PostgreSQL {major} found (install postgresql-client-{major})")


def _major_of(tool: Path) -> int | None:
    version = subprocess.run([str(tool), "--version"], capture_output=True, text=True, check=False).stdout
    found = re.search(r"(\d+)(?:\.\d+)?", version)
    return int(found.group(1)) if found else None


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        problem = (result.stderr.strip().splitlines() or ["failed"])[-1]
        fail(f"{Path(command[0]).name}: {problem}")
