"""Entry point of the `accord` console script."""

from api.cli import admin, drafts, engine  # noqa: F401  (each registers its commands)
from api.cli.base import app, fail
from api.domain.errors import AccordError


def main() -> None:
    """Run the CLI; domain errors become one line on stderr and a non-zero exit."""
    try:
        app()
    except AccordError as error:
        fail(error.message)
