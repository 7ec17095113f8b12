"""The import review in the web: uncertain links first with their evidence, every correction, the preview."""

import re

import pytest
from fastapi.testclient import TestClient

from tests.api.test_import_review import RESOLUTION, split_draft, upload
from tests.api.workflow_helpers import Round
from tests.web.pages import post_form, sign_in


@pytest.fixture
def r(client: TestClient) -> Round:
    """The GCM zero draft published."""
    round_ = Round(client)
    round_.publish_zero_draft()
    return round_


def test_the_review_lists_uncertain_links_first_and_takes_corrections(r: Round) -> None:
    old_5 = r.paragraph("Zero draft", "para-5")["text"]
    pending = r.table(
        "delegate-deu", "para-5", old_5.replace("people-centred", "people-centred and inclusive")
    )
    on_4 = r.table("delegate-zaf", "para-4", "No State can address migration alone.")
    imported = upload(r, split_draft())
    index = {p["key"]: p["index"] for p in imported["paragraphs"]}
    first = next(p["index"] for p in imported["paragraphs"] if p["text"].startswith("Migration has"))
    token = sign_in(r.client, "secretariat")
    page = r.client.get("/processes/gcm/import").text
    to_check = page[page.index('id="to-check"') : page.index('id="the-rest"')]
    assert f'id="import-row-{first}"' in to_check and "split from para-3" in to_check
    assert f'id="import-row-{index["para-1"]}"' not in to_check  # a sure link waits below
    assert re.search(
        r"each mostly made of the other&#39;s words|each mostly made of the other's words", to_check
    )
    response = post_form(
        r.client,
        "/processes/gcm/import/confirm",
        token,
        **{
            f"how-{index['para-4']}": "new",
            f"how-{index['para-6']}": "merged",
            f"keys-{index['para-6']}": "para-6, para-4",
        },
    )
    assert response.status_code == 303, response.text
    view = r.ok(r.client.get("/api/v1/processes/gcm/imports/current", headers=r.as_("secretariat")))
    assert view["confirmed"] is True and "para-4" not in view["deleted"]  # merged into para-6
    assert view["paragraphs"][index["para-6"]]["also"] == ["para-4"]
    sign_in(r.client, "cofac-mex")
    working = r.client.get("/processes/gcm/working-copy").text
    preview = working[working.index('id="publish-preview"') :]
    assert f'href="/proposals/{pending["id"]}"' in preview and f'href="/proposals/{on_4["id"]}"' in preview
    assert "merged into" in preview


def test_a_bad_correction_in_the_form_is_a_clear_4xx(r: Round) -> None:
    upload(r, split_draft())
    token = sign_in(r.client, "secretariat")
    response = post_form(
        r.client, "/processes/gcm/import/confirm", token, **{"how-1": "continues", "keys-1": "no-such"}
    )
    assert response.status_code == 422 and "no-such" in response.text
    response = post_form(r.client, "/processes/gcm/import/confirm", token, **{"how-1": "sideways"})
    assert response.status_code == 422
    assert (
        r.ok(r.client.get("/api/v1/processes/gcm/imports/current", headers=r.as_("secretariat")))["confirmed"]
        is False
    )


def test_the_review_marks_preambular_and_operative_paragraphs(client: TestClient) -> None:
    r = Round(client)
    files = {"file": ("resolution.txt", RESOLUTION.encode(), "text/plain")}
    r.ok(client.post("/api/v1/processes/gcm/imports", files=files, headers=r.as_("secretariat")), 201)
    token = sign_in(client, "secretariat")
    page = client.get("/processes/gcm/import").text
    assert re.search(r'<option value="preambular" selected>Preambular \(PP\)</option>', page)
    assert 'id="part-0"' in page  # the chapeau can be marked too: it is read as operative
    bad = post_form(client, "/processes/gcm/import/confirm", token, **{"part-1": "both"})
    assert bad.status_code == 422 and "choose preambular or operative" in bad.text
    marks = {"part-1": "preambular", "part-2": "operative", "part-3": "operative"}
    assert post_form(client, "/processes/gcm/import/confirm", token, **marks).status_code == 303
    view = r.ok(client.get("/api/v1/processes/gcm/imports/current", headers=r.as_("secretariat")))
    assert [p["preambular"] for p in view["paragraphs"]] == [False, True, False, False, False]
    assert "Preambular (PP)" in client.get("/processes/gcm/import").text
