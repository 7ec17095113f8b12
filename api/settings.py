"""One settings object, read from ACCORD_* environment variables."""

from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET_KEY = "accord-development-secret-not-for-production"
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'var' / 'accord.db'}"


class Settings(BaseSettings):
    """Runtime configuration; every field maps to ACCORD_<FIELD>."""

    model_config = SettingsConfigDict(env_prefix="ACCORD_", extra="ignore")

    mode: Literal["development", "production", "test"] = "development"
    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str = DEFAULT_SECRET_KEY
    demo_password: str = "accord-demo"
    drafts_dir: Path = PROJECT_ROOT / "drafts"
    static_dir: Path = PROJECT_ROOT / "web" / "static"
    vendor_dir: Path = PROJECT_ROOT / "node_modules"
    max_body_bytes: int = 2_000_000
    token_ttl_seconds: int = 12 * 3600
    session_ttl_seconds: int = 7 * 24 * 3600
    sign_in_free_failures: int = 5
    sign_in_max_lockout_seconds: int = 300
    password_checks_at_once: int = 1
    # The in-process cache of rendered published views (pages, compares, histories, JSON), in bytes.
    render_cache_bytes: int = 64 * 1024 * 1024
    verify_calls_per_minute: int = 30
    verify_cache_seconds: float = 60.0
    # Where the public reaches the site: absolute links (the feed) use it, never the request's Host header.
    public_url: str = "http://127.0.0.1:8000"
    # Host names the app answers to (comma-separated; "*" any); in production "*" means the public URL's.
    allowed_hosts: str = "*"
    # Proxies whose X-Forwarded-For/-Proto uvicorn believes (comma-separated addresses, or "*").
    forwarded_allow_ips: str = "127.0.0.1"
    host: str = "127.0.0.1"
    port: int = 8000
    # Mail: "outbox" keeps every mail in the database for the operators' /outbox page and sends nothing
    # (the development default: `make run` needs no mail server); "smtp" sends through the server below.
    mail_transport: Literal["outbox", "smtp"] = "outbox"
    mail_from: str = "Accord <accord@localhost>"
    smtp_host: str = "localhost"
    smtp_port: int = 587
    # starttls: plain connection upgraded with STARTTLS (port 587); ssl: TLS from the start (465); none.
    smtp_tls: Literal["starttls", "ssl", "none"] = "starttls"
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_timeout_seconds: float = 20.0
    # How often a server's mail sender looks for mail to try again (failed sends are kept, never lost).
    mail_retry_seconds: float = 60.0

    @model_validator(mode="after")
    def _refuse_default_secrets_in_production(self) -> "Settings":
        if self.mode == "production":
            if self.secret_key == DEFAULT_SECRET_KEY or len(self.secret_key) < 32:
                raise ValueError("ACCORD_SECRET_KEY must be set to a secret of 32+ characters in production")
            if self.database_url == DEFAULT_DATABASE_URL:
                raise ValueError("ACCORD_DATABASE_URL must be set explicitly in production")
        return self

    def check_servable(self) -> None:
        """Refuse to serve production over a plain-HTTP public URL, where sign-in could never work."""
        if self.mode == "production" and not self.secure_cookies:
            raise ConfigurationError(
                "ACCORD_PUBLIC_URL must be the https:// address in production: the session cookie is "
                "Secure there, and a browser never sends it back over HTTP (every sign-in would fail)"
            )

    @property
    def secure_cookies(self) -> bool:
        """Cookies are Secure exactly when the site is served over HTTPS."""
        return self.public_url.startswith("https://")

    @property
    def trusted_hosts(self) -> list[str]:
        """The Host header values the app accepts (TrustedHostMiddleware)."""
        listed = [host.strip() for host in self.allowed_hosts.split(",") if host.strip()]
        if listed and listed != ["*"]:
            return listed
        if self.mode != "production":
            return ["*"]
        public = urlsplit(self.public_url).hostname or "localhost"
        return [public, "localhost", "127.0.0.1"]  # the health checks call the app directly


class ConfigurationError(Exception):
    """An ACCORD_* variable is missing or invalid; the message names the variable, in one line."""


def describe_configuration_error(error: ValidationError) -> str:
    """One line naming each bad ACCORD_* variable and what is wrong with it."""
    problems = []
    for problem in error.errors():
        message = problem["msg"].removeprefix("Value error, ")
        if problem["loc"]:  # a field: name its variable and the value it was given
            variable = "ACCORD_" + str(problem["loc"][0]).upper()
            message = f"{variable}={problem['input']!r}: {message}"
        problems.append(message)
    return "; ".join(problems)


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment; a bad one is a ConfigurationError."""
    try:
        return Settings()
    except ValidationError as error:
        raise ConfigurationError(describe_configuration_error(error)) from None
