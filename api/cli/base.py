"""The `accord` command object that every command module registers on, and its error reporting."""

import sys
from pathlib import Path
from typing import NoReturn

import typer

from api.domain.errors import InvalidInput
from api.domain.text_input import decode_text

app = typer.Typer(
    name="accord",
    help="Accord: drafting workspace for intergovernmental negotiations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema commands.", no_args_is_help=True)
app.add_typer(db_app, name="db")


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one clear line on stderr and exit non-zero."""
    print(f"accord: error: {message}", file=sys.stderr)
    raise SystemExit(code)


def read_text_file(path: str) -> str:
    """Read a UTF-8 text file given on the command line; every failure is an InvalidInput."""
    file = Path(path)
    if not file.exists():
        raise InvalidInput(f"{path}: no such file")
    if file.is_dir():
        raise InvalidInput(f"{path}: is a directory, not a file")
    return decode_text(file.read_bytes(), name=path)
