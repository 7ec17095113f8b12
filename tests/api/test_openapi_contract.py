"""The OpenAPI document says what the API answers: schemathesis fuzzes every operation against it."""

from typing import Any

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.openapi import EVERY_ROUTE
from tests.conftest import token_for

EXAMPLES_PER_OPERATION = 5  # × 2 (anonymous, a co-facilitator) × ~40 operations
# Left out: "schema-valid data is accepted". The text rules (no control, bidi or invisible characters, a
# ruling's text only with accept_with_changes …) are the domain's, not JSON Schema's; they answer a 422
# that the document lists. Every other check runs: no 5xx, status codes, content types, bodies, headers.


def test_every_operation_answers_as_documented(client: TestClient) -> None:
    """Generated requests (valid and invalid) to every operation: no 5xx, and every answer as documented."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30
    signed_in = token_for(client, "cofac-mex")
    for operation in operations:
        _fuzz(operation, {})
        _fuzz(operation, signed_in)


def _fuzz(operation: Any, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

    check()


def test_errors_are_documented_with_our_body(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    assert "HTTPValidationError" not in document["components"]["schemas"]
    publish = document["paths"]["/api/v1/processes/{slug}/revisions"]["post"]["responses"]
    assert {"401", "403", "404", "409", "413", "422"} <= set(publish)
    assert publish["422"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    verify = document["paths"]["/api/v1/processes/{slug}/verify"]["get"]["responses"]
    assert set(EVERY_ROUTE) | {"200", "429"} == set(verify)
    wrong = client.post("/api/v1/processes/gcm/proposals", json={"paragraph_key": 5})
    assert wrong.status_code in (401, 403, 422) and set(wrong.json()) >= {"error", "detail"}
