"""A paragraph inside a bracket that runs over several paragraphs is bracketed on every page that shows
it alone (the proposal form's base text, its history in the API and the web, the merge editor), as the
revision page and publication say, and the page names the bracket: where it opens and where it closes."""

from fastapi.testclient import TestClient

from tests.api.test_formatted_import import publish
from tests.api.workflow_helpers import Round
from tests.web.pages import sign_in

# The chapeau opens a bracket that its last item closes: (a) and (b) sit inside it.
DRAFT = (
    "# Commitments\n\n"
    "1. [Each Party shall:\n\n"
    "    1. Report its emissions;\n"
    "    2. Review its plans.]\n\n"
    "2. Parties agree to meet.\n"
)


def test_the_proposal_form_and_the_merge_editor_show_the_bracket_over_paragraphs(client: TestClient) -> None:
    r = Round(client)
    view = publish(r, DRAFT, "Zero")
    item = next(p for p in view["paragraphs"] if p["text"] == "Report its emissions;")
    assert item["status"] == "bracketed"  # the revision says so: the page alone must too
    named = "Inside a bracket opened in para. 1 and closed in para. 1(b)."

    history = r.ok(client.get(f"/api/v1/processes/gcm/paragraphs/{item['key']}/history"))
    zero = history["appearances"][-1]
    assert (zero["status"], zero["bracket_opened_in"], zero["bracket_closed_in"]) == (
        "bracketed",
        "para. 1",
        "para. 1(b)",
    )
    assert named in client.get(f"/processes/gcm/paragraphs/{item['key']}").text

    sign_in(client, "delegate-chn")
    form = client.get(f"/processes/gcm/proposals/new?paragraph={item['key']}")
    assert form.status_code == 200
    assert named in form.text
    free = next(p for p in view["paragraphs"] if p["text"] == "Parties agree to meet.")
    assert "Inside a bracket" not in client.get(f"/processes/gcm/proposals/new?paragraph={free['key']}").text

    r.ok(client.post("/api/v1/processes/gcm/working-copy", headers=r.as_("cofac-mex")))
    sign_in(client, "cofac-mex")
    editor = client.get(f"/processes/gcm/working-copy/paragraphs/{item['key']}")
    assert editor.status_code == 200
    assert named in editor.text
