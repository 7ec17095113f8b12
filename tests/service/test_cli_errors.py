"""Every error of the `accord` command line, configuration included, is one line on stderr and status 2."""

import os
import subprocess

import pytest

from api.settings import PROJECT_ROOT

ACCORD = str(PROJECT_ROOT / ".venv" / "bin" / "accord")


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    """Run `accord ARGS` as a person would, with these ACCORD_* variables on top of a test environment."""
    environment = {**os.environ, "ACCORD_MODE": "test", **env}
    return subprocess.run([ACCORD, *args], capture_output=True, text=True, env=environment, timeout=60)


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (
            ["--help"],
            {"ACCORD_MODE": "production"},
            "configuration: ACCORD_SECRET_KEY must be set to a secret of 32+ characters in production",
        ),
        (["seed"], {"ACCORD_PORT": "eighty"}, "configuration: ACCORD_PORT='eighty': Input should be"),
        (["no-such-command"], {}, "No such command 'no-such-command'. (see 'accord --help')"),
        (["export"], {}, "Missing argument 'process'. (see 'accord export --help')"),
        (["serve", "--port", "x"], {}, "Invalid value for '--port'"),
        (["verify"], {"ACCORD_DATABASE_URL": "sqlite:////dev/null/accord.db"}, "/dev/null: File exists"),
        (
            ["verify"],
            {"ACCORD_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/x"},
            "database: connection",
        ),
        (["verify"], {"ACCORD_DATABASE_URL": "not a url"}, "database: Could not parse SQLAlchemy URL"),
    ],
)
def test_an_error_is_one_line_and_status_2(args: list[str], env: dict[str, str], message: str) -> None:
    result = run(args, **env)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith(f"accord: error: {message}"), result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_help_and_bare_command_still_show_the_commands() -> None:
    assert run(["--help"]).returncode == 0
    bare = run([])
    assert bare.returncode == 2 and "seed" in bare.stdout and "serve" in bare.stdout
