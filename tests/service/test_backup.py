"""`accord backup`, changes, `accord restore`: `accord verify` shows the backup's head again, both engines."""

import re
from pathlib import Path

from sqlalchemy import Engine

from tests.service.test_cli import run


def _head(engine: Engine) -> str:
    verified = run(engine, "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    found = re.search(r"head ([0-9a-f]{64})", verified.stdout)
    assert found, verified.stdout
    return found.group(1)


def test_backup_restore_verify_shows_the_same_head(engine: Engine, tmp_path: Path) -> None:
    assert run(engine, "seed", "--no-demo").returncode == 0
    before = _head(engine)
    file = tmp_path / "accord.backup"
    made = run(engine, "backup", str(file))
    assert made.returncode == 0 and file.stat().st_size > 0, made.stderr
    assert run(engine, "backup", str(file)).returncode == 2  # never overwrites a backup
    added = run(engine, "user", "add", "later", "--password", "long-enough", "--role", "observer")
    assert added.returncode == 0
    assert _head(engine) != before
    restored = run(engine, "restore", str(file), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert _head(engine) == before
    assert (
        "already exists"
        not in run(engine, "user", "add", "later", "--password", "long-enough", "--role", "observer").stderr
    )


def test_restore_refuses_what_is_not_a_backup(engine: Engine, tmp_path: Path) -> None:
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a database" * 100)
    result = run(engine, "restore", str(junk), "--yes")
    assert result.returncode == 2 and result.stderr.startswith("accord: error:"), result.stderr
    assert run(engine, "restore", str(tmp_path / "missing"), "--yes").returncode == 2
