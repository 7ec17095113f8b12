"""The import contracts catch a layer that reaches upward: lint-imports on a copy with injected imports."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
STACK = "One stack: entry points, controllers, request plumbing, services, storage, domain"
PURE = "The domain is pure: no I/O, no framework, nothing else of ours"


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=tree, env=env, capture_output=True, text=True, check=False
    )


def _inject(path: Path, line: str) -> None:
    path.write_text(line + "\n" + path.read_text(encoding="utf-8"), encoding="utf-8")


def test_an_upward_import_breaks_the_contracts(tmp_path: Path) -> None:
    for package in ("api", "web"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    assert _lint(tmp_path).returncode == 0, "the copy keeps every contract before anything is injected"
    _inject(tmp_path / "api" / "services" / "revisions.py", "import web.labels  # noqa")
    _inject(tmp_path / "api" / "domain" / "negotiation" / "states.py", "import sqlalchemy  # noqa")
    broken = _lint(tmp_path)
    assert broken.returncode != 0
    assert f"{STACK} BROKEN" in " ".join(broken.stdout.split())
    assert f"{PURE} BROKEN" in " ".join(broken.stdout.split())
    assert "api.services.revisions -> web.labels" in broken.stdout
    assert "api.domain.negotiation.states -> sqlalchemy" in broken.stdout
