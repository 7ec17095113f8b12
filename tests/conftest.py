"""Fixtures: every database test runs on SQLite and on PostgreSQL, each from `alembic upgrade head`."""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("ACCORD_MODE", "test")

import pytest
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text

from api.app import create_app
from api.db import make_engine, unit_of_work
from api.models import metadata
from api.services import seeding
from api.settings import PROJECT_ROOT, Settings

ENGINES = ("sqlite", "postgresql")
# `make test` provisions a throwaway cluster and sets ACCORD_TEST_POSTGRES_URL (scripts/postgres.sh).
# Only a direct pytest run outside CI falls back to a local server with trust logins on 5432.
POSTGRES_ADMIN_URL = os.environ.get("ACCORD_TEST_POSTGRES_URL") or (
    "" if os.environ.get("CI") == "true" else "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
DEMO_PASSWORD = "demo-password"
SEED_DIR = PROJECT_ROOT / "drafts" / "nyd" / "source"


def _postgres_problem() -> str | None:
    if not POSTGRES_ADMIN_URL:
        return "ACCORD_TEST_POSTGRES_URL is not set (`make test` provisions a cluster and sets it)"
    try:
        probe = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with probe.connect() as connection:
            connection.execute(text("SELECT 1"))
        probe.dispose()
    except Exception as error:
        return str(error).splitlines()[0]
    return None


def _create_postgres_database(name: str) -> str:
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def _drop_postgres_database(name: str) -> None:
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def migrate(engine: Engine, revision: str = "head") -> None:
    """Run Accord's migrations on an engine."""
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["connection"] = engine
    command.upgrade(config, revision)


@pytest.fixture(scope="session")
def database_urls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A fresh SQLite file and a fresh PostgreSQL database for this test process."""
    urls = {"sqlite": f"sqlite:///{tmp_path_factory.mktemp('db') / 'accord.db'}"}
    problem = _postgres_problem()
    if problem and os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL is required under CI=true and is not reachable: {problem}", pytrace=False)
    name = f"accord_test_{uuid.uuid4().hex[:10]}"
    if problem is None:
        urls["postgresql"] = _create_postgres_database(name)
    yield urls
    if problem is None:
        _drop_postgres_database(name)


@pytest.fixture(scope="session")
def migrated_engines(database_urls: dict[str, str]) -> Iterator[dict[str, Engine]]:
    """One migrated engine per available database, shared by the whole session."""
    engines = {name: make_engine(url) for name, url in database_urls.items()}
    for engine in engines.values():
        migrate(engine)
    yield engines
    for engine in engines.values():
        engine.dispose()


def _empty_all_tables(engine: Engine) -> None:
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            tables = ", ".join(t.name for t in metadata.sorted_tables)
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            return
        for table in reversed(metadata.sorted_tables):  # children before the rows they refer to
            connection.execute(table.delete())


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest, migrated_engines: dict[str, Engine]) -> Iterator[Engine]:
    """A migrated, empty database: the test runs once on SQLite and once on PostgreSQL."""
    if request.param not in migrated_engines:
        pytest.skip("PostgreSQL is not reachable here (it is required under CI=true)")
    engine = migrated_engines[request.param]
    _empty_all_tables(engine)
    yield engine
    _empty_all_tables(engine)


@pytest.fixture
def seeded_engine(engine: Engine) -> Engine:
    """A database holding drafts/ and the demo accounts (password DEMO_PASSWORD)."""
    with unit_of_work(engine) as session:
        seeding.seed(session, PROJECT_ROOT / "drafts", DEMO_PASSWORD)
    return engine


def app_settings(engine: Engine) -> Settings:
    """Settings for an app under test on the given engine."""
    return Settings(mode="test", database_url=engine.url.render_as_string(hide_password=False))


@pytest.fixture
def client(seeded_engine: Engine) -> Iterator[TestClient]:
    """An HTTP client for the app on a seeded database."""
    with TestClient(create_app(app_settings(seeded_engine), seeded_engine)) as test_client:
        yield test_client


def token_for(client: TestClient, username: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
    """Authorization headers for a demo account."""
    response = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def seed_path() -> Path:
    """The seed text shipped in drafts/nyd/source/ (the Chinese text of A/RES/70/302)."""
    path = SEED_DIR / "000_0fc575c65120479c.txt"
    assert path.is_file(), f"seed not found at {path}"
    return path
