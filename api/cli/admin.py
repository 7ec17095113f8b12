"""Operator commands: schema, seed, accounts, serving, export and verification."""

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from api.cli.base import app, db_app, fail
from api.db import get_engine, make_durable, unit_of_work
from api.services import accounts, documents, exports, history, proposals, seeding, verification
from api.services.actors import Actor
from api.settings import PROJECT_ROOT, get_settings

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlmodel import Session

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
    make_durable(get_engine())  # the migrations committed outside a unit of work
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
        forwarded_allow_ips=settings.forwarded_allow_ips,
        log_level="info",
        timeout_graceful_shutdown=10,  # a live-update stream must not hold a restart for ever
    )


user_app = typer.Typer(help="Accounts.", no_args_is_help=True)
app.add_typer(user_app, name="user")


def _new_password(given: str | None) -> str:
    # Asked for twice without echo (or read from stdin when piped): a password on the command line
    # would be visible to every user of the machine in the process list and in the shell history.
    if given is not None:
        return given
    return str(typer.prompt("New password", hide_input=True, confirmation_prompt=True))


@user_app.command("add")
def user_add(
    username: str,
    role: Annotated[str, typer.Option(help="secretariat|cofacilitator|delegation|observer")],
    password: Annotated[
        str | None, typer.Option(help="At least 8 characters; asked for (twice, hidden) if omitted.")
    ] = None,
    delegation: Annotated[str | None, typer.Option(help="Delegation code (ISO alpha-3 or group).")] = None,
    process: Annotated[str | None, typer.Option(help="Process slug; every process if omitted.")] = None,
) -> None:
    """Add a person with one role (also the first secretariat account of a production database)."""
    secret = _new_password(password)
    with unit_of_work() as session:
        accounts.add_user(session, username, secret, role, delegation, process)
    print(f"user {username} added as {role}" + (f" of {delegation.upper()}" if delegation else ""))


user_app.command("create", help="The same as `user add`.")(user_add)


@user_app.command("passwd")
def user_passwd(
    username: str,
    password: Annotated[str | None, typer.Option(help="Asked for (twice, hidden) if omitted.")] = None,
) -> None:
    """Set a new password; every session of the person ends."""
    secret = _new_password(password)
    with unit_of_work() as session:
        ended = accounts.change_password(session, username, secret)
    print(f"password of {username} changed; {ended} session(s) ended")


@user_app.command("disable")
def user_disable(username: str) -> None:
    """Disable an account: it cannot sign in, and every session ends at once."""
    with unit_of_work() as session:
        ended = accounts.set_active(session, username, False)
    print(f"user {username} disabled; {ended} session(s) ended")


@user_app.command("enable")
def user_enable(username: str) -> None:
    """Enable a disabled account again (with its old password)."""
    with unit_of_work() as session:
        accounts.set_active(session, username, True)
    print(f"user {username} enabled")


EXPORT_FORMATS = ("json", "docx", "pdf", "akn")


@app.command("export")
def export(
    process: str,
    revision: Annotated[
        str | None, typer.Option(help="Revision label; default the latest published.")
    ] = None,
    format: Annotated[str, typer.Option("--format", help="json, docx, pdf or akn.")] = "json",
    older: Annotated[
        str | None, typer.Option("--from", help="With --to: the redline between two revisions.")
    ] = None,
    newer: Annotated[str | None, typer.Option("--to", help="The newer revision of the redline.")] = None,
    compilation: Annotated[bool, typer.Option(help="The compilation text instead of a revision.")] = False,
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="File to write (- for standard output).")
    ] = None,
) -> None:
    """Export a revision, a redline (--from A --to B) or the compilation as JSON, Word, PDF or Akoma Ntoso."""
    if format not in EXPORT_FORMATS:
        fail(f"unknown format {format!r}; supported: {', '.join(EXPORT_FORMATS)}")
    if (older is None) != (newer is None):
        fail("--from and --to go together")
    with unit_of_work(write=False) as session:
        if format == "json":
            document = _json_export(session, process, revision, older, newer, compilation)
            _write(json.dumps(document, ensure_ascii=False, indent=2).encode() + b"\n", output or "-")
            return
        found = _file_export(session, format, process, revision, older, newer, compilation)
    _write(found.content, output or found.filename)
    if output != "-":
        print(f"wrote {output or found.filename} ({len(found.content)} bytes)", file=sys.stderr)


def _json_export(
    session: "Session",
    process: str,
    revision: str | None,
    older: str | None,
    newer: str | None,
    compilation: bool,
) -> Any:
    if compilation:
        return proposals.compilation(session, CLI_ACTOR, process).model_dump(mode="json")
    if older and newer:
        return history.compare_revisions(session, CLI_ACTOR, process, older, newer).model_dump(mode="json")
    return exports.revision_document(session, CLI_ACTOR, process, revision)


def _file_export(
    session: "Session",
    format: str,
    process: str,
    revision: str | None,
    older: str | None,
    newer: str | None,
    compilation: bool,
) -> documents.FileOut:
    extension = "akn.xml" if format == "akn" else format
    if compilation:
        return documents.COMPILATION_FILES[extension](session, CLI_ACTOR, process)
    if older and newer:
        if extension not in documents.REDLINE_FILES:
            fail("a redline has no Akoma Ntoso form; export each revision, or the compilation")
        return documents.REDLINE_FILES[extension](session, CLI_ACTOR, process, older, newer)
    return documents.REVISION_FILES[extension](session, CLI_ACTOR, process, revision)


def _write(content: bytes, target: str) -> None:
    if target == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
    else:
        Path(target).write_bytes(content)


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
