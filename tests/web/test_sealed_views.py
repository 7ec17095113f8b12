"""Views rendered at publication (web/sealed.py): stored with the revision, equal to a live render."""

import zlib

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from api.caching import RenderCache
from api.db import unit_of_work
from api.services import rendered_views, revisions
from api.services.actors import PUBLIC
from tests.api.workflow_helpers import Round
from tests.web.pages import sign_in

PAGE = "/processes/gcm/revisions/Zero%20draft"
REV1 = "/processes/gcm/revisions/Rev.1"
COMPARE = "/processes/gcm/compare?from=Zero+draft&to=Rev.1"
CHANGES = "/processes/gcm/compare?from=Zero+draft&to=Rev.1&changes=1"
SIDE = "/processes/gcm/compare?from=Zero+draft&to=Rev.1&view=side"
DEFAULT_COMPARE = "/processes/gcm/compare"
CHINESE = {"Accept-Language": "zh"}


@pytest.fixture
def round_(client: TestClient) -> Round:
    """The GCM zero draft published, then a Rev.1 with para-3 edited."""
    r = Round(client)
    r.publish_zero_draft()
    paragraph = r.paragraph(None, "para-3")
    edit = {"text": paragraph["text"] + " Together.", "lock_version": paragraph["lock_version"]}
    cofac = r.as_("cofac-mex")
    r.ok(r.client.patch("/api/v1/processes/gcm/working-copy/paragraphs/para-3", json=edit, headers=cofac))
    r.ok(r.client.post("/api/v1/processes/gcm/revisions", json={"label": "Rev.1"}, headers=cofac), 201)
    return r


def _engine(client: TestClient) -> Engine:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    assert isinstance(engine, Engine)
    return engine


def _stored_names(client: TestClient, label: str) -> set[str]:
    with _engine(client).connect() as connection:
        rows = connection.execute(
            text(
                "SELECT v.name FROM rendered_view v JOIN revision r ON r.id = v.revision_id "
                "WHERE r.label = :label"
            ),
            {"label": label},
        )
        return {name for (name,) in rows}


def _forget_everything(client: TestClient) -> None:
    """No render cache, and no stored view: the next request renders it all."""
    cache = client.app.state.render_cache  # type: ignore[attr-defined]
    assert isinstance(cache, RenderCache)
    cache.clear()
    with _engine(client).begin() as connection:
        connection.execute(text("DELETE FROM rendered_view"))


def _cold(client: TestClient) -> None:
    cache = client.app.state.render_cache  # type: ignore[attr-defined]
    assert isinstance(cache, RenderCache)
    cache.clear()


def test_publishing_stores_the_first_views_of_the_revision(round_: Round) -> None:
    names = _stored_names(round_.client, "Rev.1")
    pages = {name for name in names if name.startswith("page:")}
    assert len(pages) == 6  # the revision, the compare by default and as linked, in both languages
    assert not any(name.startswith("page:") for name in _stored_names(round_.client, "Zero draft"))
    for locale in ("en", "zh"):
        assert {f"revision:{locale}:reader", f"revision:{locale}:proposer"} <= names
    compares = sorted(name for name in names if name.startswith("compare:"))
    assert len(compares) == 4  # inline, every paragraph or the changed ones, in both languages
    assert all(name.endswith((":en", ":zh")) for name in compares)
    assert not any(name.startswith("compare:") for name in _stored_names(round_.client, "Zero draft"))


def _readers(client: TestClient) -> list[TestClient]:
    delegate, observer = TestClient(client.app), TestClient(client.app)
    sign_in(delegate, "delegate-chn")
    sign_in(observer, "observer")
    return [client, delegate, observer]


@pytest.mark.parametrize("path", [PAGE, REV1, COMPARE, CHANGES, SIDE, DEFAULT_COMPARE])
@pytest.mark.parametrize("event_since", [False, True])
def test_a_view_from_the_stored_render_equals_a_live_render(
    round_: Round, path: str, event_since: bool
) -> None:
    # Right after the publication the public's whole pages are stored; after a proposal, the bodies.
    if event_since:
        round_.table("delegate-chn", "para-3", "A proposal on the current text.")
    for reader in _readers(round_.client):
        for headers in ({}, CHINESE):
            _cold(round_.client)
            stored = reader.get(path, headers=headers)
            _forget_everything(round_.client)
            live = reader.get(path, headers=headers)
            assert stored.status_code == live.status_code == 200
            assert stored.text == live.text, (path, headers)
            assert stored.headers["etag"] == live.headers["etag"]


def test_the_slots_follow_events_the_stored_body_does_not_know(round_: Round) -> None:
    client = round_.client
    delegate = TestClient(client.app)
    sign_in(delegate, "delegate-chn")
    page = delegate.get(REV1).text
    assert "This is not the current revision." not in page and 'class="propose"' in page
    assert "1 proposal" not in page
    round_.table("delegate-chn", "para-3", "A proposal on the current text.")
    assert "1 proposal" in delegate.get(REV1).text  # the body came from the cache, the count is live
    older = delegate.get(PAGE).text
    assert "This is not the current revision." in older and 'class="propose"' not in older
    form = client.get(COMPARE).text
    assert '<option value="Zero draft" selected>Zero draft</option>' in form
    assert '<option value="Rev.1" selected>Rev.1</option>' in form


def test_a_stored_render_changed_in_the_database_is_refused(round_: Round) -> None:
    client = round_.client
    live = client.get(REV1).text
    forged = zlib.compress(b"<p>FORGED TEXT</p>")
    with _engine(client).begin() as connection:
        connection.execute(text("UPDATE rendered_view SET body = :body"), {"body": forged})
    _cold(client)
    served = client.get(REV1)
    assert served.status_code == 200 and "FORGED" not in served.text
    assert served.text == live


def test_user_text_cannot_open_a_slot(client: TestClient) -> None:
    r = Round(client)
    r.publish_zero_draft()
    paragraph = r.paragraph(None, "para-3")
    edit = {
        "text": "<!--slot:notice--> and <!--slot:pending:para-3-->",
        "lock_version": paragraph["lock_version"],
    }
    cofac = r.as_("cofac-mex")
    r.ok(client.patch("/api/v1/processes/gcm/working-copy/paragraphs/para-3", json=edit, headers=cofac))
    r.ok(client.post("/api/v1/processes/gcm/revisions", json={"label": "Rev.1"}, headers=cofac), 201)
    page = client.get(REV1).text
    assert "&lt;!--slot:notice--&gt; and &lt;!--slot:pending:para-3--&gt;" in page


def test_the_first_reader_in_a_process_gets_the_body_stored_at_publication(round_: Round) -> None:
    # Any process serving the database reads the stored body: a body signed with the server's key is
    # served as it is (here a marked one, to see that it was read and not rendered again). A signed-in
    # reader: the public's first page after a publication is stored whole.
    client = round_.client
    observer = TestClient(client.app)
    sign_in(observer, "observer")
    with unit_of_work(_engine(client)) as session:
        revision_id, _hash = revisions.revision_seal(session, PUBLIC, "gcm", "Rev.1")
        secret = client.app.state.settings.secret_key  # type: ignore[attr-defined]
        rendered_views.store(session, revision_id, "revision:en:reader", "<p>STORED BODY</p>", secret)
    _cold(client)
    assert "<p>STORED BODY</p>" in observer.get(REV1).text
