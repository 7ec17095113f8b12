"""docker-compose.yml is consistent with the code (no engine runs here to try it for real)."""

import re
from pathlib import Path
from typing import Any

import yaml

from api.settings import PROJECT_ROOT, Settings

COMPOSE = PROJECT_ROOT / "docker-compose.yml"


def _compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return data


def test_postgres_has_a_volume_and_a_health_check() -> None:
    db = _compose()["services"]["db"]
    assert db["image"].startswith("postgres:")
    assert any(v.endswith(":/var/lib/postgresql/data") for v in db["volumes"])
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])


def test_migrations_run_before_two_or_more_app_processes_behind_a_proxy() -> None:
    services = _compose()["services"]
    assert "accord db upgrade" in " ".join(services["migrate"]["command"])
    apps = [name for name, s in services.items() if s.get("command", [])[:2] == ["accord", "serve"]]
    assert len(apps) >= 2
    for name in apps:
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    upstreams = re.findall(r"server (\w+):8000;", (PROJECT_ROOT / "deploy" / "nginx.conf").read_text())
    assert sorted(upstreams) == sorted(apps)
    assert set(services["proxy"]["depends_on"]) == set(apps)


def test_environment_names_are_ones_the_settings_read() -> None:
    known = {f"ACCORD_{name.upper()}" for name in Settings.model_fields}
    services = _compose()["services"]
    for name in ("migrate", "app1", "app2"):
        names = set(services[name]["environment"])
        assert names <= known, names - known
        assert {"ACCORD_DATABASE_URL", "ACCORD_SECRET_KEY", "ACCORD_MODE"} <= names
        assert services[name]["environment"]["ACCORD_DATABASE_URL"].startswith("postgresql+psycopg://")


def test_the_image_command_is_a_real_cli_command() -> None:
    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text()
    command = re.search(r'^CMD \["accord", "(\w+)"', dockerfile, re.MULTILINE)
    assert command and command.group(1) == "serve"
    from typer.main import get_command

    from api.cli import app

    cli = get_command(app)
    assert "serve" in cli.commands  # type: ignore[attr-defined]
    assert "seed" in cli.commands  # type: ignore[attr-defined]
    for path in re.findall(r"^COPY (\S+) ", dockerfile, re.MULTILINE):
        assert all((Path(PROJECT_ROOT) / p).exists() for p in path.split()), path
