"""Entry point of the `accord` console script: every error is one line on stderr and status 2."""

import typer
from sqlalchemy.exc import SQLAlchemyError

# Typer 0.29 vendors Click: its usage errors are classes of typer._click (all are typer.TyperException).
from typer._click.exceptions import NoArgsIsHelpError, UsageError

from api.cli.base import app, fail
from api.domain.errors import AccordError
from api.settings import ConfigurationError, get_settings

# Settings are read before the command modules load, since some read them at import time: a bad
# ACCORD_* variable is then reported by main() in one line instead of a traceback at import.
try:
    get_settings()
except ConfigurationError as error:
    _configuration_error: ConfigurationError | None = error
else:
    _configuration_error = None
    from api.cli import admin, backup, drafts, engine, mail  # noqa: F401  (each registers its commands)


def main() -> None:
    """Run the CLI; configuration, usage, input and database errors become one line and status 2."""
    if _configuration_error is not None:
        fail(f"configuration: {_configuration_error}")
    try:
        status = app(standalone_mode=False)
    except NoArgsIsHelpError as error:  # `accord` alone, or a group alone: its help, as before
        print(error.format_message())
        raise SystemExit(2) from None
    except UsageError as error:
        fail(_usage_message(error))
    except typer.TyperException as error:
        fail(error.format_message())
    except typer.Abort:
        fail("interrupted", 130)
    except AccordError as error:
        fail(error.message)
    except SQLAlchemyError as error:
        fail(f"database: {str(getattr(error, 'orig', None) or error).splitlines()[0]}")
    except OSError as error:
        fail(f"{error.filename or 'accord'}: {error.strerror or error}")
    raise SystemExit(status if isinstance(status, int) else 0)


def _usage_message(error: UsageError) -> str:
    """The usage error and the command it concerns, with where to find help."""
    command = error.ctx.command_path if error.ctx else "accord"
    return f"{error.format_message()} (see '{command} --help')"
