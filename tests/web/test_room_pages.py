"""The room through the web forms (no browser): who sees what, and bad input that changes nothing."""

from fastapi.testclient import TestClient

from tests.api.workflow_helpers import Round
from tests.web.pages import post_form, sign_in


def test_the_room_page_for_each_reader(client: TestClient) -> None:
    r = Round(client)
    r.publish_zero_draft()
    assert "have not taken up a paragraph" in client.get("/processes/gcm/room").text
    token = sign_in(client, "cofac-mex")
    moved = post_form(client, "/processes/gcm/room/cursor", token, paragraph_key="para-4")
    assert moved.status_code == 303
    page = client.get("/processes/gcm/room").text
    assert 'id="room-next"' in page and "Take up in the room" in page
    refused = post_form(
        client, "/processes/gcm/room/silences", token, paragraph_key="para-4", text=" ", minutes="5"
    )
    assert (
        refused.status_code == 422
        and "Silence procedure" not in client.get("/api/v1/processes/gcm/room").text
    )
    token = sign_in(client, "delegate-chn")
    assert post_form(client, "/processes/gcm/room/floor", token, paragraph_key="para-4").status_code == 303
    page = client.get("/processes/gcm/room").text
    assert "Withdraw our request for the floor" in page and "<strong>CHN</strong>" in page
    desk = client.get("/processes/gcm/desk").text
    assert "Withdraw our request for the floor" in desk
    token = sign_in(client, "observer")
    page = client.get("/processes/gcm/room").text
    assert "CHN" not in page and "Speakers" not in page and 'id="room-text"' in page
