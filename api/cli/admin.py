"""Operator commands: schema, seed, accounts, serving, export and verification."""

import json
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from api.cli.base import app, db_app, fail
from api.db import get_engine, unit_of_work
from api.services import accounts, exports, seeding, verification
from api.services.actors import Actor
from api.settings import PROJECT_ROOT, get_settings

if TYPE_CHECKING:
    from alembic.config import Config

CLI_ACTOR = Actor(user_id=None, username="cli", grants=frozenset({(None, "secretariat")}))


def alembic_config() -> "Config":
    """Alembic's configuration, bound to Accord's engine."""
    from alembic.config import Config  # imported here: alembic costs half a second at every start

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["connection"] = get_engine()
    return config


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply the migrations up to REVISION (default: head)."""
    from alembic import command

    command.upgrade(alembic_config(), revision)
    print(f"database at {revision}: {get_engine().url.render_as_string(hide_password=True)}")


@app.command("seed")
def seed(demo: Annotated[bool, typer.Option(help="Create the demo accounts too.")] = True) -> None:
    """Load drafts/ (delegations, processes, mandates, first revisions) and the demo accounts; idempotent."""
    settings = get_settings()
    if demo and settings.mode == "production":
        fail("refusing to create demo accounts in production mode; use --no-demo")
    with unit_of_work() as session:
        report = seeding.seed(session, settings.drafts_dir, settings.demo_password if demo else None)
    if not report.changed:
        print("seed: nothing to do, the database already holds drafts/")
        return
    print("seed: created " + ", ".join(f"{n} {what}" for what, n in report.created.items()))


@app.command("serve")
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Serve Accord with uvicorn (uvloop and httptools)."""
    import uvicorn

    settings = get_settings()
    uvicorn.run(
        "api.main:app",
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        loop="uvloop",
        http="httptools",
        proxy_headers=True,
        log_level="info",
        timeout_graceful_shutdown=10,  # a live-update stream must not hold a restart for ever
    )


user_app = typer.Typer(help="Accounts.", no_args_is_help=True)
app.add_typer(user_app, name="user")


@user_app.command("add")
def user_add(
    username: str,
    password: Annotated[str, typer.Option(help="At least 8 characters.")],
    role: Annotated[str, typer.Option(help="secretariat|cofacilitator|delegation|observer")],
    delegation: Annotated[str | None, typer.Option(help="Delegation code (ISO alpha-3 or group).")] = None,
    process: Annotated[str | None, typer.Option(help="Process slug; every process if omitted.")] = None,
) -> None:
    """Add a person with one role."""
    with unit_of_work() as session:
        accounts.add_user(session, username, password, role, delegation, process)
    print(f"user {username} added as {role}" + (f" of {delegation.upper()}" if delegation else ""))


@app.command("export")
def export(
    process: str,
    revision: Annotated[
        str | None, typer.Option(help="Revision label; default the latest published.")
    ] = None,
    format: Annotated[str, typer.Option("--format", help="Output format: json.")] = "json",
) -> None:
    """Print a revision of a process (with its mandate) as JSON."""
    if format != "json":
        fail(f"unknown format {format!r}; supported: json")
    with unit_of_work(write=False) as session:
        document = exports.revision_document(session, CLI_ACTOR, process, revision)
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


@app.command("verify")
def verify(
    process: Annotated[str | None, typer.Argument(help="Process slug; all if omitted.")] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="A head hash published earlier: is it still in the chain?")
    ] = None,
) -> None:
    """Recompute the chain, revision hashes and facts of the record; exit 1 if anything was altered."""
    with unit_of_work(write=False) as session:
        report = verification.verify(session, process, since)
    for line in report.lines():
        print(line)
    if not report.ok:
        raise SystemExit(1)
