"""Every route of the JSON API, for every role: no access beyond the rules (DESIGN §9)."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.api.workflow_helpers import Round

ROLES = ("public", "observer", "delegation", "sponsor", "cofacilitator", "secretariat")
ACCOUNTS = {
    "observer": "observer",
    "delegation": "delegate-chn",
    "sponsor": "delegate-deu",
    "cofacilitator": "cofac-mex",
    "secretariat": "secretariat",
}
EVERYONE = set(ROLES)
DELEGATIONS = {"delegation", "sponsor"}
COMPILATION_READERS = {"delegation", "sponsor", "cofacilitator", "secretariat"}
COFACILITATORS = {"cofacilitator"}
IMPORTERS = {"cofacilitator", "secretariat"}  # also the readers of the working copy

Call = Callable[[TestClient, dict[str, str], dict[str, Any]], Any]


def _get(path: str) -> Call:
    return lambda c, h, ids: c.get(path.format(**ids), headers=h)


def _send(method: str, path: str, **body: Any) -> Call:
    return lambda c, h, ids: c.request(method, path.format(**ids), headers=h, **body)


PARA = {
    "paragraph_key": "para-5",
    "action": "amend",
    "text": "A people-centred compact.",
    "justification": "x",
}
# (method, route path) → (who may, how to call it)
MATRIX: dict[tuple[str, str], tuple[set[str], Call]] = {
    ("GET", "/api/v1/health"): (EVERYONE, _get("/api/v1/health")),
    ("POST", "/api/v1/auth/token"): (
        EVERYONE,
        _send("POST", "/api/v1/auth/token", data={"username": "observer", "password": "demo-password"}),
    ),
    ("GET", "/api/v1/auth/sessions"): (EVERYONE - {"public"}, _get("/api/v1/auth/sessions")),
    ("DELETE", "/api/v1/auth/sessions/{session_id}"): (  # nobody's session: 404 for the signed-in
        EVERYONE - {"public"},
        _send("DELETE", "/api/v1/auth/sessions/2147483647"),
    ),
    ("GET", "/api/v1/processes"): (EVERYONE, _get("/api/v1/processes")),
    ("GET", "/api/v1/processes/{slug}"): (EVERYONE, _get("/api/v1/processes/gcm")),
    ("GET", "/api/v1/processes/{slug}/revisions"): (EVERYONE, _get("/api/v1/processes/gcm/revisions")),
    ("GET", "/api/v1/processes/{slug}/revisions/{label}"): (
        EVERYONE,
        _get("/api/v1/processes/gcm/revisions/Zero draft"),
    ),
    ("GET", "/api/v1/processes/{slug}/current"): (EVERYONE, _get("/api/v1/processes/gcm/current")),
    ("GET", "/api/v1/processes/{slug}/compare"): (
        EVERYONE,
        _get("/api/v1/processes/gcm/compare?from=Zero draft&to=Zero draft"),
    ),
    ("GET", "/api/v1/processes/{slug}/paragraphs/{key}/history"): (
        EVERYONE,
        _get("/api/v1/processes/gcm/paragraphs/para-3/history"),
    ),
    ("GET", "/api/v1/processes/{slug}/search"): (  # everyone; what each finds: tests/api/test_search.py
        EVERYONE,
        _get("/api/v1/processes/gcm/search?q=migrants"),
    ),
    ("GET", "/api/v1/processes/{slug}/coverage"): (EVERYONE, _get("/api/v1/processes/gcm/coverage")),
    ("GET", "/api/v1/processes/{slug}/coverage/compare"): (
        EVERYONE,
        _get("/api/v1/processes/gcm/coverage/compare?from=Zero draft&to=Zero draft"),
    ),
    ("GET", "/api/v1/processes/{slug}/coverage/matrix"): (
        EVERYONE,
        _get("/api/v1/processes/gcm/coverage/matrix"),
    ),
    ("GET", "/api/v1/processes/{slug}/progress"): (EVERYONE, _get("/api/v1/processes/gcm/progress")),
    ("GET", "/api/v1/processes/{slug}/verify"): (EVERYONE, _get("/api/v1/processes/gcm/verify")),
    ("GET", "/api/v1/processes/{slug}/revisions/{label}.docx"): (
        EVERYONE,
        _get("/api/v1/processes/gcm/revisions/Zero draft.docx"),
    ),
    ("GET", "/api/v1/processes/{slug}/revisions/{label}.akn.xml"): (
        EVERYONE,
        _get("/api/v1/processes/gcm/revisions/Zero draft.akn.xml"),
    ),
    ("GET", "/api/v1/processes/{slug}/compare.docx"): (
        EVERYONE,
        _get("/api/v1/processes/gcm/compare.docx?from=Zero draft&to=Zero draft"),
    ),
    ("GET", "/api/v1/processes/{slug}/compilation.docx"): (
        COMPILATION_READERS,
        _get("/api/v1/processes/gcm/compilation.docx"),
    ),
    # PDFs are printed once per content by LibreOffice and reused: each is printed once here, not per role.
    ("GET", "/api/v1/processes/{slug}/revisions/{label}.pdf"): (
        EVERYONE,
        _get("/api/v1/processes/gcm/revisions/Zero draft.pdf"),
    ),
    ("GET", "/api/v1/processes/{slug}/compare.pdf"): (
        EVERYONE,
        _get("/api/v1/processes/gcm/compare.pdf?from=Zero draft&to=Zero draft"),
    ),
    ("GET", "/api/v1/processes/{slug}/compilation.pdf"): (
        COMPILATION_READERS,
        _get("/api/v1/processes/gcm/compilation.pdf"),
    ),
    ("POST", "/api/v1/processes/{slug}/proposals/from-docx"): (
        DELEGATIONS,
        _send(
            "POST",
            "/api/v1/processes/gcm/proposals/from-docx",
            files={"file": ("x.docx", b"not a docx", "application/octet-stream")},
        ),
    ),
    ("GET", "/api/v1/processes/{slug}/compilation.akn.xml"): (
        COMPILATION_READERS,
        _get("/api/v1/processes/gcm/compilation.akn.xml"),
    ),
    ("POST", "/api/v1/processes/{slug}/proposals"): (
        DELEGATIONS,
        _send("POST", "/api/v1/processes/gcm/proposals", json=PARA),
    ),
    ("GET", "/api/v1/processes/{slug}/proposals"): (
        COMPILATION_READERS,
        _get("/api/v1/processes/gcm/proposals"),
    ),
    ("GET", "/api/v1/proposals/{proposal_id}"): (COMPILATION_READERS, _get("/api/v1/proposals/{proposal}")),
    ("GET", "/api/v1/processes/{slug}/compilation"): (
        COMPILATION_READERS,
        _get("/api/v1/processes/gcm/compilation"),
    ),
    ("PATCH", "/api/v1/proposals/{proposal_id}"): (
        {"sponsor"},
        _send("PATCH", "/api/v1/proposals/{proposal}", json={"justification": "better", "lock_version": 1}),
    ),
    ("POST", "/api/v1/proposals/{proposal_id}/cosponsors"): (
        DELEGATIONS,
        _send("POST", "/api/v1/proposals/{proposal}/cosponsors"),
    ),
    ("DELETE", "/api/v1/proposals/{proposal_id}/cosponsors"): (
        DELEGATIONS,
        _send("DELETE", "/api/v1/proposals/{proposal}/cosponsors"),
    ),
    ("POST", "/api/v1/proposals/{proposal_id}/rulings"): (
        COFACILITATORS,
        _send("POST", "/api/v1/proposals/{other}/rulings", json={"decision": "defer", "reason": "later"}),
    ),
    ("POST", "/api/v1/processes/{slug}/rulings"): (
        COFACILITATORS,
        lambda c, h, ids: c.post(
            "/api/v1/processes/gcm/rulings",
            headers=h,
            json={"proposals": [ids["other"]], "decision": "defer", "reason": "later"},
        ),
    ),
    ("POST", "/api/v1/proposals/{proposal_id}/withdraw"): (
        {"sponsor"},
        _send("POST", "/api/v1/proposals/{proposal}/withdraw"),
    ),
    ("POST", "/api/v1/processes/{slug}/working-copy"): (
        COFACILITATORS,
        _send("POST", "/api/v1/processes/gcm/working-copy"),
    ),
    ("GET", "/api/v1/processes/{slug}/working-copy"): (
        IMPORTERS,
        _get("/api/v1/processes/gcm/working-copy"),
    ),
    ("PATCH", "/api/v1/processes/{slug}/working-copy/paragraphs/{key}"): (
        COFACILITATORS,
        _send(
            "PATCH",
            "/api/v1/processes/gcm/working-copy/paragraphs/para-2",
            json={"status": "agreed", "lock_version": 1},
        ),
    ),
    ("GET", "/api/v1/processes/{slug}/working-copy/paragraphs/{key}/suggestions"): (
        COFACILITATORS,
        _get("/api/v1/processes/gcm/working-copy/paragraphs/para-7/suggestions"),
    ),
    ("GET", "/api/v1/processes/{slug}/working-copy/publish-preview"): (
        COFACILITATORS,
        _get("/api/v1/processes/gcm/working-copy/publish-preview"),
    ),
    ("POST", "/api/v1/processes/{slug}/compilation/release"): (
        COFACILITATORS,
        _send("POST", "/api/v1/processes/gcm/compilation/release"),
    ),
    ("POST", "/api/v1/processes/{slug}/revisions"): (
        COFACILITATORS,
        _send("POST", "/api/v1/processes/gcm/revisions", json={"label": "Rev.{n}"}),
    ),
    ("POST", "/api/v1/processes/{slug}/imports"): (
        IMPORTERS,
        _send(
            "POST",
            "/api/v1/processes/gcm/imports",
            files={"file": ("d.txt", b"1. One.\n\n2. Two.\n", "text/plain")},
        ),
    ),
    ("GET", "/api/v1/processes/{slug}/imports/current"): (
        IMPORTERS,
        _get("/api/v1/processes/gcm/imports/current"),
    ),
    ("POST", "/api/v1/processes/{slug}/imports/current/confirm"): (
        IMPORTERS,
        _send("POST", "/api/v1/processes/gcm/imports/current/confirm", json={}),
    ),
    ("GET", "/api/v1/processes/{slug}/room"): (EVERYONE, _get("/api/v1/processes/gcm/room")),
    ("POST", "/api/v1/processes/{slug}/room/cursor"): (
        COFACILITATORS,
        _send("POST", "/api/v1/processes/gcm/room/cursor", json={"paragraph_key": "para-3"}),
    ),
    ("POST", "/api/v1/processes/{slug}/room/readings"): (
        COFACILITATORS,
        _send(
            "POST",
            "/api/v1/processes/gcm/room/readings",
            json={"paragraph_key": "para-3", "reading": "first"},
        ),
    ),
    ("POST", "/api/v1/processes/{slug}/room/floor"): (
        DELEGATIONS,
        _send("POST", "/api/v1/processes/gcm/room/floor", json={"paragraph_key": "para-3"}),
    ),
    ("POST", "/api/v1/processes/{slug}/room/floor/{request_id}/give"): (  # nobody's request: 404 for them
        COFACILITATORS,
        _send("POST", "/api/v1/processes/gcm/room/floor/2147483647/give"),
    ),
    ("POST", "/api/v1/processes/{slug}/room/floor/withdraw"): (
        DELEGATIONS,
        _send("POST", "/api/v1/processes/gcm/room/floor/withdraw", json={"paragraph_key": "para-3"}),
    ),
    ("POST", "/api/v1/processes/{slug}/room/floor/clear"): (
        COFACILITATORS,
        _send("POST", "/api/v1/processes/gcm/room/floor/clear", json={"paragraph_key": "para-3"}),
    ),
    ("POST", "/api/v1/processes/{slug}/room/silences"): (
        COFACILITATORS,
        _send(
            "POST",
            "/api/v1/processes/gcm/room/silences",
            json={"paragraph_key": "para-4", "text": "No State alone.", "minutes": 60},
        ),
    ),
    ("POST", "/api/v1/processes/{slug}/room/silences/{silence_id}/break"): (  # no such silence: 404
        DELEGATIONS,
        _send("POST", "/api/v1/processes/gcm/room/silences/2147483647/break", json={"reason": "Not yet."}),
    ),
    # Last: it revokes the token the calls above used (without one it does nothing, for anybody).
    ("GET", "/api/v1/notifications"): (EVERYONE - {"public"}, _get("/api/v1/notifications")),
    ("POST", "/api/v1/notifications/read"): (
        EVERYONE - {"public"},
        _send("POST", "/api/v1/notifications/read", json={}),
    ),
    ("GET", "/api/v1/notifications/settings"): (
        EVERYONE - {"public"},
        _get("/api/v1/notifications/settings"),
    ),
    ("PUT", "/api/v1/notifications/settings"): (
        EVERYONE - {"public"},
        _send("PUT", "/api/v1/notifications/settings", json={"delivery": "none"}),
    ),
    ("GET", "/api/v1/subscriptions"): (EVERYONE - {"public"}, _get("/api/v1/subscriptions")),
    ("POST", "/api/v1/subscriptions"): (
        EVERYONE - {"public"},
        _send("POST", "/api/v1/subscriptions", json={"process": "gcm", "paragraph": "para-3"}),
    ),
    ("DELETE", "/api/v1/subscriptions/{subscription_id}"): (  # nobody's subscription: 404 for the signed-in
        EVERYONE - {"public"},
        _send("DELETE", "/api/v1/subscriptions/2147483647"),
    ),
    ("POST", "/api/v1/auth/logout"): (EVERYONE, _send("POST", "/api/v1/auth/logout")),
}


def test_every_api_route_is_in_the_matrix() -> None:
    paths = create_app().openapi()["paths"]
    routes = {(method.upper(), path) for path, operations in paths.items() for method in operations}
    assert routes == set(MATRIX)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_exactly_what_the_rules_allow(client: TestClient, role: str) -> None:
    r = Round(client)
    r.publish_zero_draft()
    proposal = r.table("delegate-deu", "para-3", "Migration is part of the human experience.")
    other = r.table("delegate-bra", "para-4", "No State can address migration on its own.")
    headers = r.as_(ACCOUNTS[role]) if role in ACCOUNTS else {}
    ids = {"proposal": proposal["id"], "other": other["id"], "n": 1}
    refused = []
    for (method, path), (allowed, call) in MATRIX.items():
        status = call(client, headers, ids).status_code
        denied = status in (401, 403)
        if denied == (role in allowed) or status >= 500:
            refused.append(f"{method} {path}: {status}")
    assert refused == [], f"{role}: unexpected access or refusal"
