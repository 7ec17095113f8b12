"""The `accord` command line, run as a person runs it (a subprocess), on SQLite and on PostgreSQL."""

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from api.app import create_app
from api.models import AuditEvent, Delegation, OutgoingMail, Paragraph, ParagraphVersion, User
from api.settings import PROJECT_ROOT
from tests.api.workflow_helpers import Round
from tests.conftest import app_settings
from tests.mail_server import free_port, smtp_server

ACCORD = str(PROJECT_ROOT / ".venv" / "bin" / "accord")
NOISE = re.compile(r"\d{2}-\d{5}|A/RES/70/302|https?:|_{3,}|\(C\)|[\u4e00-\u9fff] [\u4e00-\u9fff]")


def run(
    engine: Engine | None, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `accord ARGS` against the engine's database (with more ACCORD_* variables if given)."""
    env = {**os.environ, "ACCORD_MODE": "test", "ACCORD_DEMO_PASSWORD": "demo-password", **(env or {})}
    if engine is not None:
        env["ACCORD_DATABASE_URL"] = engine.url.render_as_string(hide_password=False)
    return subprocess.run([ACCORD, *args], capture_output=True, text=True, env=env, timeout=120, check=False)


def _counts(engine: Engine) -> tuple[int, ...]:
    with Session(engine) as session:
        return tuple(
            session.exec(select(func.count()).select_from(model)).one()[0]  # type: ignore[call-overload]
            for model in (Delegation, User, Paragraph, ParagraphVersion, AuditEvent)
        )


def test_seed_is_idempotent_and_export_gives_the_declaration(engine: Engine) -> None:
    assert run(engine, "db", "upgrade").returncode == 0
    first = run(engine, "seed")
    assert first.returncode == 0 and "created" in first.stdout
    before = _counts(engine)
    second = run(engine, "seed")
    assert second.returncode == 0 and "nothing to do" in second.stdout
    assert _counts(engine) == before

    document = json.loads(run(engine, "export", "nyd", "--format", "json").stdout)
    assert document["process"] == "nyd" and document["revision"]["label"] == "Adopted text"
    assert len(document["revision"]["content_hash"]) == 64
    kinds = [(p["part"], p["kind"]) for p in document["paragraphs"]]
    assert kinds.count(("body", "paragraph")) == 90
    assert (kinds.count(("annex1", "paragraph")), kinds.count(("annex1", "subparagraph"))) == (19, 41)
    assert (kinds.count(("annex2", "paragraph")), kinds.count(("annex2", "subparagraph"))) == (15, 24)
    assert [p["text"] for p in document["paragraphs"] if NOISE.search(p["text"])] == []
    assert {"key", "part", "kind", "number", "text"} <= set(document["paragraphs"][0])

    gcm = json.loads(run(engine, "export", "gcm", "--format", "json").stdout)
    assert [e["code"] for e in gcm["elements"]] == list("abcdefghijklmnopqrstuvwx")
    assert gcm["revision"] is None and gcm["paragraphs"] == []
    verified = run(engine, "verify")
    assert verified.returncode == 0 and verified.stdout.strip().endswith("verified: OK")
    head = re.search(r"head ([0-9a-f]{64})", verified.stdout)
    assert head is not None
    assert run(engine, "verify", "--since", head.group(1)).returncode == 0
    unknown = run(engine, "verify", "--since", "f" * 64)
    assert unknown.returncode == 1 and "NOT in the chain" in unknown.stdout


def test_user_add_and_its_errors(engine: Engine) -> None:
    run(engine, "seed", "--no-demo")
    added = run(
        engine,
        "user",
        "add",
        "mex-1",
        "--password",
        "long-enough",
        "--role",
        "delegation",
        "--delegation",
        "mex",
    )
    assert added.returncode == 0 and "MEX" in added.stdout
    for args, message in [
        (("mex-1", "--password", "long-enough", "--role", "observer"), "already exists"),
        (("x", "--password", "long-enough", "--role", "king"), "unknown role"),
        (("y", "--password", "short", "--role", "observer"), "at least 8"),
        (("z", "--password", "long-enough", "--role", "delegation", "--delegation", "XXX"), "no delegation"),
        (("w", "--password", "long-enough", "--role", "cofacilitator", "--process", "nope"), "no process"),
    ]:
        result = run(engine, "user", "add", *args)
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "no such file"), (b"", "is empty"), ("七十".encode("gbk") * 20, "not valid UTF-8")],
)
def test_bad_seed_files_get_one_clear_line(tmp_path: Path, content: bytes | None, message: str) -> None:
    seed = tmp_path / "seed.txt"
    if content is not None:
        seed.write_bytes(content)
    result = run(None, "drafts", "build", "--seed", str(seed), "--out", str(tmp_path / "out"))
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    assert not (tmp_path / "out" / "nyd" / "revision.json").exists()


def test_export_of_an_unknown_process_or_format_fails_cleanly(engine: Engine) -> None:
    for args, message in [
        (("export", "nope"), "no process 'nope'"),
        (("export", "nyd", "--format", "xml"), "unknown format"),
    ]:
        result = run(engine, *args)
        assert result.returncode == 2 and message in result.stderr


def test_export_as_word_and_akoma_ntoso_to_files_or_standard_output(engine: Engine, tmp_path: Path) -> None:
    assert run(engine, "seed", "--no-demo").returncode == 0
    target = tmp_path / "seed.docx"
    word = run(engine, "export", "nyd", "--format", "docx", "--output", str(target))
    assert word.returncode == 0 and f"wrote {target}" in word.stderr
    assert target.read_bytes()[:2] == b"PK"
    akn = run(engine, "export", "nyd", "--format", "akn", "-o", "-")
    assert akn.returncode == 0 and 'name="resolutionDraft"' in akn.stdout
    redline = run(engine, "export", "nyd", "--format", "docx", "--from", "Adopted text")
    assert redline.returncode == 2 and "--from and --to go together" in redline.stderr
    same = run(engine, "export", "nyd", "--format", "json", "--from", "Adopted text", "--to", "Adopted text")
    assert json.loads(same.stdout)["summary"]["unchanged"] == 215


def test_export_as_pdf_needs_libreoffice_and_says_so(engine: Engine, tmp_path: Path) -> None:
    assert run(engine, "seed", "--no-demo").returncode == 0
    env_path = "/usr/bin/nonexistent"  # a PATH without LibreOffice
    result = subprocess.run(
        [ACCORD, "export", "nyd", "--format", "pdf", "-o", str(tmp_path / "x.pdf")],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "PATH": env_path,
            "ACCORD_MODE": "test",
            "ACCORD_DATABASE_URL": engine.url.render_as_string(hide_password=False),
        },
        timeout=120,
        check=False,
    )
    assert result.returncode == 2 and "needs LibreOffice" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_digest_sends_nothing_when_nobody_chose_it_and_says_so(engine: Engine) -> None:
    assert run(engine, "db", "upgrade").returncode == 0
    result = run(engine, "digest")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "digest: 0 digests queued; 0 mail sent"


def test_digest_mails_the_day_through_smtp_and_keeps_what_fails(seeded_engine: Engine) -> None:
    with TestClient(create_app(app_settings(seeded_engine), seeded_engine)) as client:
        r = Round(client)
        r.publish_zero_draft()
        choice = {"email": "chn@mission.example", "delivery": "daily"}
        r.ok(client.put("/api/v1/notifications/settings", json=choice, headers=r.as_("delegate-chn")))
        tabled = r.table("delegate-chn", "para-5", "The Global Compact is people-centred.")
        r.rule(tabled["id"], "reject", "Not supported")
    port = free_port()
    smtp = {"ACCORD_MAIL_TRANSPORT": "smtp", "ACCORD_SMTP_HOST": "127.0.0.1", "ACCORD_SMTP_PORT": str(port)}
    smtp["ACCORD_SMTP_TLS"] = "none"
    refused = run(seeded_engine, "digest", env=smtp)  # nothing listens yet: the digest is kept
    assert refused.returncode == 1
    assert (
        refused.stdout.strip()
        == "digest: 1 digest queued; 0 mail sent, 1 failed (kept, tried again at the next run)"
    )
    with Session(seeded_engine) as session:
        kept = session.scalars(select(OutgoingMail)).all()
        assert [(m.to_address, m.sent_at, m.attempts) for m in kept] == [("chn@mission.example", None, 1)]
        kept[0].next_attempt_at = kept[0].created_at  # due again now (the retry delay has not passed)
        session.add(kept[0])
        session.commit()
    with smtp_server(port) as inbox:
        sent = run(seeded_engine, "digest", env=smtp)
        assert sent.returncode == 0, sent.stderr
        assert sent.stdout.strip() == "digest: 0 digests queued; 1 mail sent"
        [digest] = inbox.to("chn@mission.example")
    assert digest["Subject"] == "[Accord] Daily digest: 1 notification"
    assert (
        f"The co-facilitators ruled on proposal {tabled['id']} by CHN on para. 5: rejected."
        in digest.get_content()
    )
