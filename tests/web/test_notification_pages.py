"""The notification centre, watching, the feed page and the outbox through the web, on both engines."""

import re
import xml.etree.ElementTree as ElementTree

from fastapi.testclient import TestClient

from tests.api.workflow_helpers import Round
from tests.web.pages import page_token, post_form, sign_in

ATOM = "{http://www.w3.org/2005/Atom}"
PARA5 = "The Global Compact is people-centred."


def test_watch_a_paragraph_hear_of_it_in_the_header_and_mark_it_read(client: TestClient) -> None:
    r = Round(client)
    r.publish_zero_draft()
    token = sign_in(client, "observer")
    assert "Notifications" in client.get("/processes/gcm").text
    lineage = client.get("/processes/gcm/paragraphs/para-5").text
    assert 'aria-pressed="false">Watch this paragraph' in lineage
    post_form(
        client, "/processes/gcm/watch", token, paragraph="para-5", next="/processes/gcm/paragraphs/para-5"
    )
    assert 'aria-pressed="true">Watch this paragraph' in client.get("/processes/gcm/paragraphs/para-5").text
    centre = client.get("/notifications").text
    assert "GCM — para. 5" in centre and "Nothing yet." in centre

    tabled = r.table("delegate-deu", "para-5", PARA5, on_behalf_of="EU")
    r.rule(tabled["id"], "defer", "Later")
    assert 'class="count"' not in client.get("/processes/gcm").text  # not released: not even a count
    r.ok(client.post("/api/v1/processes/gcm/compilation/release", headers=r.as_("cofac-mex")), 204)
    r.rule(r.table("delegate-bra", "para-5", "Unreleased.")["id"], "defer", "Later")
    released = r.table("delegate-chn", "para-5", "A wording the observer will see.")
    r.ok(client.post("/api/v1/processes/gcm/compilation/release", headers=r.as_("cofac-mex")), 204)
    r.rule(released["id"], "reject", "Not supported")
    header = client.get("/processes/gcm").text
    assert re.search(r'<span class="count">1</span>', header)
    centre = client.get("/notifications").text
    assert f"The co-facilitators ruled on proposal {released['id']} by CHN on para. 5: Rejected." in centre
    assert f"proposal {tabled['id']} " not in centre
    post_form(client, "/notifications/read", token)
    assert 'class="count"' not in client.get("/notifications").text
    post_form(client, "/processes/gcm/unwatch", token, paragraph="para-5")
    assert "Nothing yet: watch a paragraph" in client.get("/notifications").text


def test_choices_are_saved_and_bad_ones_refused_with_a_clear_message(client: TestClient) -> None:
    Round(client).publish_zero_draft()
    token = sign_in(client, "delegate-chn")
    desk = client.get("/processes/gcm/desk").text
    assert "You are told when your delegation's proposals are ruled on" in desk
    assert '<option value="para-5">para. 5</option>' in desk
    posted = post_form(
        client, "/notifications/settings", token, email="chn@mission.example", delivery="daily"
    )
    assert posted.status_code == 303 and posted.headers["location"] == "/notifications?saved=1"
    saved = client.get(posted.headers["location"])
    assert "Your choices were saved." in saved.text
    assert 'value="chn@mission.example"' in saved.text and 'value="daily" checked' in saved.text
    assert "You are not told about your delegation's proposals." in client.get("/processes/gcm/desk").text
    bad = post_form(
        client, "/notifications/settings", token, email="a@b.example, c@d.example", delivery="instant"
    )
    assert bad.status_code == 422 and "give one email address" in bad.text
    assert 'value="chn@mission.example"' in client.get("/notifications").text


def test_the_feed_page_filters_and_the_atom_feed_says_on_behalf_of(client: TestClient) -> None:
    r = Round(client)
    r.publish_zero_draft()
    group = r.table("delegate-chn", "para-3", "A G77 wording.", on_behalf_of="G77")
    alone = r.table("delegate-deu", "para-4", "A German wording.")
    r.rule(group["id"], "reject", "Not now")
    r.rule(alone["id"], "defer", "Later")
    assert "Ruling on proposal" not in client.get("/processes/gcm/feed").text  # not released yet
    r.ok(client.post("/api/v1/processes/gcm/compilation/release", headers=r.as_("cofac-mex")), 204)
    page = client.get("/processes/gcm/feed").text
    assert 'href="/processes/gcm/feed"' in page and "Zero draft published" in page
    # The page names the group; the Atom feed (data) keeps its code.
    said = f"Ruling on proposal {group['id']} by CHN on behalf of Group of 77 and China on para. 3: Reject"
    assert said in page
    by_group = client.get("/processes/gcm/feed?group=G77").text
    assert f"proposal {group['id']} " in by_group and f"proposal {alone['id']} " not in by_group
    assert "Zero draft published" not in by_group
    by_paragraph = client.get("/processes/gcm/feed?paragraph=para-4&delegation=deu").text
    assert f"proposal {alone['id']} " in by_paragraph and f"proposal {group['id']} " not in by_paragraph
    assert 'href="/processes/gcm/feed.atom?paragraph=para-4&amp;delegation=deu"' in by_paragraph
    atom = ElementTree.fromstring(client.get("/processes/gcm/feed.atom?group=G77").content)
    titles = [e.findtext(f"{ATOM}title") for e in atom.iter(f"{ATOM}entry")]
    assert titles == [f"Ruling on proposal {group['id']} (CHN on behalf of G77, para. 3): reject"]
    assert client.get("/processes/gcm/feed?group=" + "x" * 65).status_code == 422
    token = sign_in(client, "observer")  # an observer watches the process from the feed page
    assert 'aria-pressed="false">Watch the whole process' in client.get("/processes/gcm/feed").text
    post_form(client, "/processes/gcm/watch", token, next="/processes/gcm/feed")
    assert 'aria-pressed="true">Watch the whole process' in client.get("/processes/gcm/feed").text


def test_the_outbox_shows_the_secretariat_what_would_be_mailed(client: TestClient) -> None:
    r = Round(client)
    r.publish_zero_draft()
    token = sign_in(client, "delegate-deu")
    post_form(
        client,
        "/notifications/settings",
        token,
        email="deu@mission.example",
        delivery="instant",
        own_proposals="on",
    )
    tabled = r.table("delegate-deu", "para-5", PARA5)
    r.rule(tabled["id"], "accept", "Agreed <b>by all</b>")
    assert client.get("/outbox").status_code == 403
    client.cookies.clear()
    page_token(client)
    sign_in(client, "secretariat")
    outbox = client.get("/outbox").text
    assert "ACCORD_MAIL_TRANSPORT=outbox" in outbox and "deu@mission.example" in outbox
    assert f"[Accord] Ruling on proposal {tabled['id']} (DEU, para. 5): accepted" in outbox
    assert "Reason: Agreed &lt;b&gt;by all&lt;/b&gt;" in outbox
