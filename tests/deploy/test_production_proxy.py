"""The shipped production configuration without Docker: uvicorn with production settings behind Debian's
nginx running deploy/nginx.conf (adapted to loopback ports and a temporary certificate), over HTTPS."""

import os
import re
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from api.settings import PROJECT_ROOT, Settings
from tests.conftest import DEMO_PASSWORD

DEPLOY = PROJECT_ROOT / "deploy"
ACCORD = str(PROJECT_ROOT / ".venv" / "bin" / "accord")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(url: str, **options: object) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(url, timeout=1, **options)  # type: ignore[arg-type]
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _trusting(certificate: Path) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(certificate))


def _nginx_config(tmp: Path, app: int, http: int, https: int) -> Path:
    """deploy/nginx.conf as shipped, with loopback ports, the temporary certificate and private paths."""
    site = (DEPLOY / "nginx.conf").read_text()
    site = re.sub(r"(\s*server app\d+:8000;)+", f"\n    server 127.0.0.1:{app};", site, count=1)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http};")
    site = site.replace("listen 443 ssl;", f"listen 127.0.0.1:{https} ssl;")
    site = site.replace("/etc/nginx/certs/", f"{tmp}/certs/")
    (tmp / "accord.conf").write_text(site)
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the private temporary paths
    main = (
        f"{user}worker_processes 1;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\nevents {{}}\n"
        f"http {{\n access_log off;\n client_body_temp_path {tmp}/body;\n proxy_temp_path {tmp}/proxy;\n"
        f" fastcgi_temp_path {tmp}/fcgi;\n uwsgi_temp_path {tmp}/uwsgi;\n scgi_temp_path {tmp}/scgi;\n"
        f" include {tmp}/accord.conf;\n}}\n"
    )
    (tmp / "nginx.conf").write_text(main)
    return tmp / "nginx.conf"


@pytest.fixture
def site(seeded_engine: Engine, tmp_path: Path) -> Iterator[tuple[str, Path, int]]:
    """The app under production settings behind nginx over TLS: (https base URL, certificate, http port)."""
    if not Path(NGINX).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("nginx is required under CI=true (scripts/test.sh installs it)", pytrace=False)
        pytest.skip("Debian's nginx is not installed (scripts/test.sh installs it)")
    app, http, https = _free_port(), _free_port(), _free_port()
    certs = {"ACCORD_CERT_DIR": str(tmp_path / "certs"), "PATH": os.environ["PATH"]}
    subprocess.run(["sh", str(DEPLOY / "self-signed-cert.sh")], env=certs, check=True, capture_output=True)
    base = f"https://localhost:{https}"
    env = {
        **os.environ,
        "ACCORD_MODE": "production",
        "ACCORD_DATABASE_URL": seeded_engine.url.render_as_string(hide_password=False),
        "ACCORD_SECRET_KEY": "s" * 40,
        "ACCORD_PUBLIC_URL": base,
    }
    server = subprocess.Popen(
        [ACCORD, "serve", "--host", "127.0.0.1", "--port", str(app)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    config = _nginx_config(tmp_path, app, http, https)
    proxy = subprocess.Popen(
        [
            NGINX,
            "-p",
            str(tmp_path),
            "-e",
            str(tmp_path / "error.log"),
            "-c",
            str(config),
            "-g",
            "daemon off;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(f"http://127.0.0.1:{app}/api/v1/health")
        _wait_for(f"{base}/api/v1/health", verify=_trusting(tmp_path / "certs" / "accord.crt"))
        yield base, tmp_path / "certs" / "accord.crt", http
    finally:
        for process in (proxy, server):
            process.terminate()
            process.wait(timeout=15)


def test_signed_in_over_https_behind_the_shipped_proxy_with_its_limits(site: tuple[str, Path, int]) -> None:
    base, certificate, http = site
    with httpx.Client(base_url=base, verify=_trusting(certificate), timeout=10) as browser:
        form = browser.get("/sign-in")
        assert form.status_code == 200
        assert form.headers["strict-transport-security"].startswith("max-age=")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert token is not None
        fields = {"username": "secretariat", "password": DEMO_PASSWORD, "csrf_token": token.group(1)}
        signed_in = browser.post("/sign-in", data=fields)
        assert signed_in.status_code == 303, signed_in.text
        cookie = signed_in.headers["set-cookie"].lower()
        assert "accord_session=" in cookie and "secure" in cookie and "httponly" in cookie
        home = browser.get("/")
        assert home.status_code == 200 and "secretariat" in home.text and "/sign-out" in home.text
    redirect = httpx.get(f"http://127.0.0.1:{http}/sign-in")
    assert redirect.status_code == 301 and redirect.headers["location"].startswith("https://")
    # One body limit, with our JSON error from the proxy too; only the public host name is answered.
    limit = Settings().max_body_bytes
    with httpx.Client(base_url=base, verify=_trusting(certificate), timeout=10) as client:
        too_large = client.post("/api/v1/processes/gcm/imports", content=b"x" * (limit + 1))
        assert too_large.status_code == 413
        assert too_large.json() == {
            "error": "payload_too_large",
            "detail": f"request body over {limit} bytes",
        }
        foreign = client.get("/api/v1/health", headers={"Host": "attacker.example"})
        assert foreign.status_code == 400


def test_proxy_and_app_share_one_body_limit() -> None:
    config = (DEPLOY / "nginx.conf").read_text()
    limit = Settings().max_body_bytes
    assert re.search(r"client_max_body_size (\d+);", config).group(1) == str(limit)  # type: ignore[union-attr]
    assert f'"detail":"request body over {limit} bytes"' in config
