"""The fast write path answers what the slow one would: tabling, its sealed facts, and durable commits."""

import json
import threading
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from api.db import sqlite_file, unit_of_work
from api.domain.hashing import canonical_json
from api.models import AuditEvent, Proposal
from api.services.facts import proposal_facts
from api.services.proposals import proposal_views
from api.wal_sync import WalSync, wal_sync
from tests.api.workflow_helpers import Round


def test_a_tabled_proposal_reads_and_is_sealed_as_the_rows_say(
    client: TestClient, seeded_engine: Engine
) -> None:
    r = Round(client)
    r.publish_zero_draft()
    answers = [
        r.table("delegate-chn", "para-3", "Migration is, and always was, part of the human experience."),
        r.table("delegate-chn", "para-4", "No State alone can address migration.", on_behalf_of="G77"),
        r.table("delegate-deu", "para-5", "", action="delete"),
    ]
    with Session(seeded_engine) as session:
        for answer in answers:
            # The answer was built from what the tabling held; reading the proposal again gives the same.
            read = client.get(f"/api/v1/proposals/{answer['id']}", headers=r.as_("delegate-bra")).json()
            assert answer == read
            proposal = session.get(Proposal, answer["id"])
            assert proposal is not None
            assert json.loads(proposal_views(session, [proposal])[0].model_dump_json()) == answer
            # The facts sealed at tabling are those verification reads from the rows.
            event = session.exec(
                select(AuditEvent).where(
                    AuditEvent.action == "proposal.tabled", AuditEvent.subject_id == str(answer["id"])
                )
            ).one()
            from_rows = json.loads(canonical_json(proposal_facts(session, [answer["id"]])[answer["id"]]))
            assert event.payload["facts"] == from_rows
    verified = client.get("/api/v1/processes/gcm/verify").json()
    assert verified["ok"], verified


def test_a_write_returns_once_an_fsync_after_its_commit_has_finished(engine: Engine) -> None:
    database = sqlite_file(engine)
    if database is None:
        assert engine.dialect.name == "postgresql"  # PostgreSQL syncs its own log at commit
        return
    with engine.connect() as connection:
        # The commit itself no longer fsyncs under the write lock (the shared fsync does it, after).
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 1
    sync = wal_sync(database)
    with unit_of_work(engine) as session:
        session.execute(text("CREATE TABLE IF NOT EXISTS durable_probe (n INTEGER)"))
    before_commits, before_fsyncs = sync.committed, sync.fsyncs
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            with unit_of_work(engine) as session:
                session.execute(text("INSERT INTO durable_probe VALUES (:n)"), {"n": n})
        except BaseException as error:  # reported on the test's thread
            errors.append(error)

    writers = [threading.Thread(target=write, args=(n,)) for n in range(24)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=60)
    assert not errors
    assert sync.committed == before_commits + 24
    assert sync.synced == sync.committed  # every writer waited for an fsync covering its commit
    assert 1 <= sync.fsyncs - before_fsyncs <= 24
    with unit_of_work(engine) as session:
        assert session.execute(text("SELECT count(*) FROM durable_probe")).scalar() == 24
        session.execute(text("DROP TABLE durable_probe"))


def test_one_fsync_covers_the_commits_made_while_the_one_before_ran(tmp_path: Path) -> None:
    database = tmp_path / "log.db"
    Path(f"{database}-wal").write_bytes(b"frames")
    sync = WalSync(database)
    late: list[tuple[int, int]] = []

    def commit() -> None:
        mine = sync.wait_durable()
        if sync.synced < mine:
            late.append((mine, sync.synced))

    threads = [threading.Thread(target=commit) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not late  # no caller came back before an fsync that began after its turn had finished
    assert sync.synced == sync.committed == 40
    assert 1 <= sync.fsyncs <= 40


PARA4 = (
    "No State can address migration alone because of the inherently transnational nature of the "
    "phenomenon, which requires international cooperation and dialogue."
)
PARA8 = (
    "Minimize the adverse drivers and structural factors that compel people to leave their country of origin."
)


def test_publishing_carries_each_pending_proposal_as_the_preview_said(
    client: TestClient, seeded_engine: Engine
) -> None:
    r = Round(client)
    r.publish_zero_draft()
    new4 = PARA4.replace("can address migration alone", "can manage migration by itself")
    new8 = "Address and minimize" + PARA8[len("Minimize") :]
    tabled = {
        "untouched": r.table("delegate-chn", "para-9", "Provide accurate and timely information."),
        "rebased": r.table(
            "delegate-bra", "para-8", PARA8.replace("country of origin", "countries of origin")
        ),
        "conflict": r.table(
            "delegate-deu", "para-4", PARA4.replace("migration alone", "migration on its own")
        ),
        "superseded": r.table("delegate-zaf", "para-4", new4),
    }
    for key, wording in (("para-4", new4), ("para-8", new8)):
        paragraph = r.paragraph(None, key)
        edit = {"text": wording, "lock_version": paragraph["lock_version"]}
        url = f"/api/v1/processes/gcm/working-copy/paragraphs/{key}"
        r.ok(client.patch(url, json=edit, headers=r.as_("cofac-mex")))
    preview = r.ok(
        client.get(
            "/api/v1/processes/gcm/working-copy/publish-preview?label=Rev.1", headers=r.as_("cofac-mex")
        )
    )
    report = r.ok(
        client.post("/api/v1/processes/gcm/revisions", json={"label": "Rev.1"}, headers=r.as_("cofac-mex")),
        201,
    )
    said = {p["id"]: (p["outcome"], p["note"], p["sponsor"]) for p in preview["proposals"]}
    done = {p["id"]: (p["outcome"], p["note"], p["sponsor"]) for p in report["proposals"]}
    assert done == said
    assert {name: done[p["id"]][0] for name, p in tabled.items()} == {
        "untouched": "carried",
        "rebased": "carried",
        "conflict": "needs_attention",
        "superseded": "superseded",
    }
    for name, proposal in tabled.items():
        now = r.ok(client.get(f"/api/v1/proposals/{proposal['id']}", headers=r.as_("delegate-chn")))
        assert now["rebase_status"] == done[proposal["id"]][0]
        assert now["lock_version"] == proposal["lock_version"] + 1
        carried = name in ("untouched", "rebased")
        assert now["base_revision"] == ("Rev.1" if carried else "Zero draft")
        assert now["state"] == ("superseded" if name == "superseded" else "submitted")
    rebased = r.ok(client.get(f"/api/v1/proposals/{tabled['rebased']['id']}", headers=r.as_("delegate-bra")))
    assert rebased["base_text"] == new8
    assert rebased["text"] == new8.replace("country of origin", "countries of origin")
    verified = r.ok(client.get("/api/v1/processes/gcm/verify"))
    assert verified["ok"], verified
