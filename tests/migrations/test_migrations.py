"""The schema comes only from migrations: models and `alembic upgrade head` agree, on both engines."""

import os
from collections.abc import Iterator

import pytest
from pytest_alembic.tests import (  # noqa: F401  (pytest-alembic's own checks, collected here)
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)
from sqlalchemy import Engine

from api.db import make_engine
from tests.conftest import _create_postgres_database, _drop_postgres_database, _postgres_problem


@pytest.fixture(params=["sqlite", "postgresql"])
def alembic_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """An empty database for pytest-alembic, once per engine."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('mig') / 'm.db'}")
        yield engine
        engine.dispose()
        return
    problem = _postgres_problem()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required under CI=true: {problem}", pytrace=False)
        pytest.skip("PostgreSQL not reachable")
    name = f"accord_mig_{os.getpid()}"
    engine = make_engine(_create_postgres_database(name))
    yield engine
    engine.dispose()
    _drop_postgres_database(name)
