"""Server time of the web pages: the seed's revision page and a full redline; run `python -m bench.bench_web`.

A scratch SQLite database gets the migrations, drafts/ and the demo accounts; a co-facilitator of the
New York Declaration then edits 30 paragraphs of the seed (A/RES/70/302, in Chinese) and publishes them
as "Rev.1", so that the compare page redlines the whole 215-paragraph document. Each page is requested
through the ASGI app in process; the figure is the app's own Server-Timing (request in, response head
out: routing, services, SQL, template), medians of N runs after a warm-up. Nothing here is a test.
"""

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient

from api.app import create_app
from api.db import make_engine, unit_of_work
from api.services import accounts, publishing, seeding, working_copy
from api.services.inputs import ParagraphEdit, PublishInput
from api.settings import PROJECT_ROOT, Settings

PASSWORD = "bench-password"
EDITS = 30
PAGES = {
    "revision page of the seed (215 paragraphs, zh)": "/processes/nyd/revisions/Adopted%20text",
    "full redline, inline (seed → Rev.1, 30 edits)": "/processes/nyd/compare?from=Adopted+text&to=Rev.1",
    "full redline, side by side": "/processes/nyd/compare?from=Adopted+text&to=Rev.1&view=side",
    "compare, changed paragraphs only": "/processes/nyd/compare?from=Adopted+text&to=Rev.1&changes=1",
    "paragraph lineage": "/processes/nyd/paragraphs/body-3",
    "mandate coverage": "/processes/gcm/coverage",
}


def _database(directory: Path) -> str:
    url = f"sqlite:///{directory / 'bench.db'}"
    engine = make_engine(url)
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["connection"] = engine
    command.upgrade(config, "head")
    with unit_of_work(engine) as session:
        seeding.seed(session, PROJECT_ROOT / "drafts", PASSWORD)
        accounts.add_user(session, "cofac-nyd", PASSWORD, "cofacilitator", "MEX", "nyd")
    _second_revision(engine)
    engine.dispose()
    return url


def _second_revision(engine: object) -> None:
    """Rev.1 of the seed: 30 paragraphs edited (an insertion and a deletion each), then published."""
    rng = random.Random(7)
    with unit_of_work(engine) as session:  # type: ignore[arg-type]
        actor = accounts.authenticate(session, "cofac-nyd", PASSWORD)
        view = working_copy.open_working_copy_view(session, actor, "nyd")
        paragraphs = [
            p for p in view.paragraphs if p.kind in ("paragraph", "subparagraph") and len(p.text) > 40
        ]
        for paragraph in rng.sample(paragraphs, EDITS):
            cut = rng.randrange(10, len(paragraph.text) - 20)
            text = paragraph.text[:cut] + "，并与所有相关方密切合作，" + paragraph.text[cut + 6 :]
            edit = ParagraphEdit(text=text, lock_version=paragraph.lock_version)
            working_copy.edit_paragraph(session, actor, "nyd", paragraph.key, edit)
        publishing.publish(session, actor, "nyd", PublishInput(label="Rev.1", summary="30 edits"))


def _server_ms(client: TestClient, path: str) -> float:
    response = client.get(path)
    assert response.status_code == 200, f"{path}: {response.status_code}"
    return float(response.headers["server-timing"].split("dur=")[1])


def _measure(runs: int, sample: Callable[[], float]) -> tuple[float, float]:
    for _ in range(3):
        sample()  # warm-up: templates compiled, caches filled
    times = sorted(sample() for _ in range(runs))
    return statistics.median(times), times[int(0.9 * (len(times) - 1))]


def main() -> None:
    """Print the median and 90th-percentile server time of each page."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30, help="requests per page (default 30)")
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as directory:
        started = time.perf_counter()
        url = _database(Path(directory))
        print(f"set-up: seeded database and Rev.1 in {time.perf_counter() - started:.1f} s; {runs} runs each")
        settings = Settings(mode="production", database_url=url, secret_key="b" * 40)
        with TestClient(create_app(settings)) as client:
            print("\n| page | median (ms) | p90 (ms) | size (KB) |\n|---|---:|---:|---:|")
            for name, path in PAGES.items():
                median, p90 = _measure(runs, lambda path=path: _server_ms(client, path))
                size = len(client.get(path).content) / 1024
                print(f"| {name} | {median:.1f} | {p90:.1f} | {size:.0f} |")


if __name__ == "__main__":
    main()
