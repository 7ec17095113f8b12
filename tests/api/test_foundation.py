"""The app's first routes: health, processes, reading a revision, tokens and the error policy."""

import re
from urllib.parse import quote

from fastapi.testclient import TestClient

from tests.conftest import token_for

NYD_LABEL = "Adopted text"


def test_health_reports_the_database(client: TestClient) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] in {"sqlite", "postgresql"}


def test_processes_list_the_three_seeded_processes(client: TestClient) -> None:
    processes = {p["slug"]: p for p in client.get("/api/v1/processes").json()}
    assert set(processes) == {"nyd", "gcm", "gcr"}
    assert processes["gcm"]["element_count"] == 24
    assert processes["gcr"]["element_count"] == 4
    assert processes["nyd"]["latest_revision"]["label"] == NYD_LABEL
    assert processes["gcm"]["latest_revision"] is None


def test_a_revision_lists_its_paragraphs_with_keys(client: TestClient) -> None:
    view = client.get(f"/api/v1/processes/nyd/revisions/{quote(NYD_LABEL)}").json()
    body = [p for p in view["paragraphs"] if p["part"] == "body" and p["kind"] == "paragraph"]
    assert [p["number"] for p in body] == [str(n) for n in range(1, 91)]
    assert len({p["key"] for p in view["paragraphs"]}) == len(view["paragraphs"])
    assert len(view["revision"]["content_hash"]) == 64


def test_unknown_things_are_a_clear_404(client: TestClient) -> None:
    response = client.get("/api/v1/processes/nope/revisions")
    assert response.status_code == 404
    assert response.json() == {"error": "not_found", "detail": "no process 'nope'"}
    assert client.get("/api/v1/processes/nyd/revisions/Rev.9").status_code == 404


def test_token_for_a_demo_account_and_refusal_of_a_wrong_password(client: TestClient) -> None:
    assert "Authorization" in token_for(client, "cofac-mex")
    wrong = client.post("/api/v1/auth/token", data={"username": "cofac-mex", "password": "nope-nope"})
    assert wrong.status_code == 401
    assert wrong.json()["detail"] == "wrong username or password"
    bad = client.get("/api/v1/processes", headers={"Authorization": "Bearer not-a-token"})
    assert bad.status_code == 401


def test_missing_form_fields_are_a_422_that_names_them(client: TestClient) -> None:
    response = client.post("/api/v1/auth/token", data={"username": "x"})
    assert response.status_code == 422
    assert "password" in response.json()["detail"]


def test_oversized_bodies_are_refused_with_413(client: TestClient) -> None:
    response = client.post("/api/v1/auth/token", content=b"x" * 2_100_000)
    assert response.status_code == 413


def test_pages_carry_a_strict_content_security_policy(client: TestClient) -> None:
    response = client.get("/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"


def test_openapi_and_docs_are_served_without_a_cdn(client: TestClient) -> None:
    assert "/api/v1/processes" in client.get("/openapi.json").json()["paths"]
    docs = client.get("/docs").text
    assert "/vendor/swagger-ui-dist/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()


def test_reading_view_of_the_declaration(client: TestClient) -> None:
    page = client.get(f"/processes/nyd/revisions/{quote(NYD_LABEL)}")
    assert page.status_code == 200
    assert re.search(r'<div lang="zh" dir="ltr">', page.text)
    assert "自古以来，人类就一直在流动。" in page.text
    assert client.get("/").status_code == 200
    assert "Global Compact for Safe, Orderly and Regular Migration" in client.get("/processes/gcm").text


def test_web_errors_are_pages(client: TestClient) -> None:
    page = client.get("/processes/none")
    assert page.status_code == 404
    assert "text/html" in page.headers["content-type"]
    assert "no process" in page.text
