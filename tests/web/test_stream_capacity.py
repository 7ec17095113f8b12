"""A served worker can hold thousands of live-update streams: it is not stopped at 1,024 descriptors."""

import os
import resource
import subprocess
import sys
from pathlib import Path

from api.settings import PROJECT_ROOT

PROBE = "import resource, api.main; print(*resource.getrlimit(resource.RLIMIT_NOFILE))"


def test_the_served_app_raises_its_open_file_limit_to_what_the_system_allows(tmp_path: Path) -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)

    def low_limit() -> None:  # what a login shell usually gives a service: 256 here, 1,024 often
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))

    env = {
        **os.environ,
        "ACCORD_MODE": "test",
        "ACCORD_DATABASE_URL": f"sqlite:///{tmp_path / 'probe.db'}",
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    found = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=PROJECT_ROOT,
        env=env,
        preexec_fn=low_limit,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    soft_after, hard_after = (int(n) for n in found.stdout.split()[-2:])
    assert hard_after == hard and soft_after >= min(hard, 4096)
