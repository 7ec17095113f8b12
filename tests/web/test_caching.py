"""Published views served as immutable: strong ETags, 304s, Cache-Control, and a render cache per audience."""

import pytest
from fastapi.testclient import TestClient

from api.caching import RenderCache, matches, strong_etag
from tests.api.workflow_helpers import Round
from tests.conftest import token_for
from tests.web.pages import sign_in

PAGE = "/processes/gcm/revisions/Zero%20draft"
JSON = "/api/v1/processes/gcm/revisions/Zero%20draft"
COMPARE = "/processes/gcm/compare?from=Zero+draft&to=Rev.1"
COMPARE_JSON = "/api/v1/processes/gcm/compare?from=Zero%20draft&to=Rev.1"
HISTORY = "/processes/gcm/paragraphs/para-3"
HISTORY_JSON = "/api/v1/processes/gcm/paragraphs/para-3/history"


@pytest.fixture
def round_(client: TestClient) -> Round:
    """The GCM zero draft published; nobody signed in on the client."""
    r = Round(client)
    r.publish_zero_draft()
    return r


def _publish_rev1(r: Round) -> None:
    paragraph = r.paragraph(None, "para-3")
    edit = {"text": paragraph["text"] + " Together.", "lock_version": paragraph["lock_version"]}
    cofac = r.as_("cofac-mex")
    r.ok(r.client.patch("/api/v1/processes/gcm/working-copy/paragraphs/para-3", json=edit, headers=cofac))
    r.ok(r.client.post("/api/v1/processes/gcm/revisions", json={"label": "Rev.1"}, headers=cofac), 201)


@pytest.mark.parametrize("path", [PAGE, JSON])
def test_a_published_revision_has_a_stable_strong_etag_and_answers_304(round_: Round, path: str) -> None:
    client = round_.client
    first, second = client.get(path), client.get(path)
    etag = first.headers["etag"]
    assert first.status_code == second.status_code == 200
    assert etag.startswith('"') and second.headers["etag"] == etag  # strong, and the same each time
    assert first.content == second.content
    assert first.headers["cache-control"].startswith("public")
    assert "set-cookie" not in first.headers  # the same page for every reader: no session is started
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200


def test_json_from_the_cache_is_the_revision_the_api_always_gave(round_: Round) -> None:
    client = round_.client
    cold = client.get(JSON).json()
    assert cold["revision"]["label"] == "Zero draft" and cold["revision"]["content_hash"]
    assert client.get(JSON).json() == cold
    bearer = client.get(JSON, headers=round_.as_("observer"))
    assert bearer.json() == cold and bearer.headers["cache-control"].startswith("private")


def test_compare_and_history_of_published_revisions_answer_304(round_: Round) -> None:
    _publish_rev1(round_)
    client = round_.client
    for path in (COMPARE, COMPARE_JSON, HISTORY, HISTORY_JSON):
        response = client.get(path)
        assert response.status_code == 200, path
        etag = response.headers["etag"]
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304, path
    assert "Together." in client.get(COMPARE).text


def test_a_new_revision_changes_the_etag_of_the_older_ones_page(round_: Round) -> None:
    client = round_.client
    before = client.get(PAGE)
    _publish_rev1(round_)
    after = client.get(PAGE, headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200 and "This is not the current revision." in after.text


def test_the_working_copy_stays_live(round_: Round) -> None:
    cofac = round_.as_("cofac-mex")
    round_.ok(round_.client.post("/api/v1/processes/gcm/working-copy", headers=cofac))
    response = round_.client.get("/api/v1/processes/gcm/working-copy", headers=cofac)
    assert "etag" not in response.headers
    label = response.json()["revision"]["label"]
    sign_in(round_.client, "cofac-mex")
    page = round_.client.get(f"/processes/gcm/revisions/{label}")
    assert page.status_code == 200 and "working copy, not published" in page.text
    assert "etag" not in page.headers and page.headers["cache-control"] == "no-store"


def test_a_delegations_pending_proposal_never_reaches_an_observer_through_the_cache(
    round_: Round,
) -> None:
    client = round_.client
    released = round_.table("delegate-chn", "para-3", "A text released to observers.")
    round_.ok(client.post("/api/v1/processes/gcm/compilation/release", headers=round_.as_("cofac-mex")), 204)
    secret = round_.table("delegate-chn", "para-3", "A text tabled after the release.")
    # The delegation reads first, so its views are in the cache when observers come.
    delegate = TestClient(client.app)
    sign_in(delegate, "delegate-chn")
    assert "2 proposals" in delegate.get(PAGE).text
    assert f'href="/proposals/{secret["id"]}"' in delegate.get(HISTORY).text
    insider_json = delegate.get(HISTORY_JSON, headers=token_for(client, "delegate-chn")).json()
    assert secret["id"] in [p["id"] for p in insider_json["proposals"]]
    observer = TestClient(client.app)
    sign_in(observer, "observer")
    for reader in (client, observer):  # the anonymous public and a signed-in observer
        for _ in range(2):  # a cold render, then from the cache
            page, history = reader.get(PAGE).text, reader.get(HISTORY).text
            assert "1 proposal" in page and "2 proposals" not in page
            assert f'href="/proposals/{released["id"]}"' in history
            assert f'href="/proposals/{secret["id"]}"' not in history
            public_json = reader.get(HISTORY_JSON).json()
            assert [p["id"] for p in public_json["proposals"]] == [released["id"]]
    etags = {reader.get(PAGE).headers["etag"] for reader in (client, observer, delegate)}
    assert len(etags) == 3  # the public, a person, another person: never one representation


def test_the_render_cache_is_bounded_and_forgets_the_least_recently_used() -> None:
    cache = RenderCache(max_bytes=100)
    cache.put(("a",), b"x" * 40)
    cache.put(("b",), b"x" * 40)
    assert cache.get(("a",)) is not None  # now "b" is the least recently used
    cache.put(("c",), b"x" * 40)
    assert cache.get(("b",)) is None and cache.get(("a",)) and cache.get(("c",))
    assert cache.size <= 100 and len(cache) == 2
    cache.put(("huge",), b"x" * 101)
    assert cache.get(("huge",)) is None and cache.size <= 100


def test_if_none_match_compares_entity_tags_as_http_says() -> None:
    etag = strong_etag(["revision", "abc"])
    assert etag == strong_etag(["revision", "abc"]) != strong_etag(["revision", "abd"])
    assert matches(f'"x", {etag}', etag) and matches(f"W/{etag}", etag) and matches("*", etag)
    assert not matches(None, etag) and not matches('"x"', etag)
