"""The `accord` command line, run as a person runs it (a subprocess), on SQLite and on PostgreSQL."""

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from api.models import AuditEvent, Delegation, Paragraph, ParagraphVersion, User
from api.settings import PROJECT_ROOT

ACCORD = str(PROJECT_ROOT / ".venv" / "bin" / "accord")
NOISE = re.compile(r"\d{2}-\d{5}|A/RES/70/302|https?:|_{3,}|\(C\)|[\u4e00-\u9fff] [\u4e00-\u9fff]")


def run(engine: Engine | None, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `accord ARGS` against the engine's database."""
    env = {**os.environ, "ACCORD_MODE": "test", "ACCORD_DEMO_PASSWORD": "demo-password"}
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
