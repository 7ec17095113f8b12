"""Settings come from the environment; production refuses default secrets."""

import pytest
from pydantic import ValidationError

from api.app import create_app
from api.settings import DEFAULT_DATABASE_URL, ConfigurationError, Settings, get_settings


def test_defaults_to_a_sqlite_file_under_var() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.database_url.startswith("sqlite:///") and "/var/accord.db" in settings.database_url


def test_environment_selects_postgresql(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_DATABASE_URL", "postgresql+psycopg://u@db/accord")
    assert Settings().database_url == "postgresql+psycopg://u@db/accord"


def test_production_refuses_the_default_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_MODE", "production")
    monkeypatch.setenv("ACCORD_DATABASE_URL", "postgresql+psycopg://u@db/accord")
    with pytest.raises(ValidationError, match="ACCORD_SECRET_KEY"):
        Settings()
    monkeypatch.setenv("ACCORD_SECRET_KEY", "x" * 40)
    monkeypatch.setenv("ACCORD_PUBLIC_URL", "https://accord.example.org")
    assert Settings().mode == "production"


def test_production_refuses_to_serve_cookies_that_cannot_come_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_MODE", "production")
    monkeypatch.setenv("ACCORD_DATABASE_URL", "postgresql+psycopg://u@db/accord")
    monkeypatch.setenv("ACCORD_SECRET_KEY", "x" * 40)
    monkeypatch.setenv("ACCORD_PUBLIC_URL", "http://accord.example.org")
    with pytest.raises(ConfigurationError, match="ACCORD_PUBLIC_URL must be the https:// address"):
        create_app(Settings())  # the CLI (migrate, user create) still works; serving does not start
    monkeypatch.setenv("ACCORD_PUBLIC_URL", "https://accord.example.org")
    settings = Settings()
    settings.check_servable()
    assert settings.secure_cookies
    assert settings.trusted_hosts == ["accord.example.org", "localhost", "127.0.0.1"]
    assert not Settings(mode="development", public_url="http://127.0.0.1:8000").secure_cookies


def test_production_refuses_the_default_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_MODE", "production")
    monkeypatch.setenv("ACCORD_SECRET_KEY", "y" * 40)
    with pytest.raises(ValidationError, match="ACCORD_DATABASE_URL"):
        Settings()


def test_a_bad_variable_is_one_line_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_TOKEN_TTL_SECONDS", "soon")
    get_settings.cache_clear()
    try:
        with pytest.raises(
            ConfigurationError, match=r"^ACCORD_TOKEN_TTL_SECONDS='soon': Input should be"
        ) as error:
            get_settings()
        assert "\n" not in str(error.value)
    finally:
        get_settings.cache_clear()  # the next caller reads the test environment again
