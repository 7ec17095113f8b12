"""The OpenAPI document as the API really answers: our error body and the status codes each route can give."""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "required": ["error", "detail"],
    "properties": {
        "error": {"type": "string", "description": "a stable code: not_found, conflict, invalid_input …"},
        "detail": {"type": "string", "description": "what went wrong, in one sentence"},
        "problems": {"type": "array", "items": {"type": "string"}, "description": "each invalid field (422)"},
    },
}
# Every route: a bad token (401), a role that may not (403), an unknown thing (404), invalid input (422),
# a database too busy to answer in time (503, with Retry-After).
EVERY_ROUTE = {
    "401": "not signed in, or the token is not valid",
    "403": "signed in, but the role does not allow this",
    "404": "no such process, revision, paragraph or proposal",
    "422": "invalid input: the body, a query or a path parameter",
    "503": "the database was busy; nothing was saved; try again (Retry-After)",
}
WRITES = {
    "409": "a conflict: a stale lock_version, an illegal state change, a reused Idempotency-Key",
    "413": "the request body is over ACCORD_MAX_BODY_BYTES",
}
THROTTLED = {"429": "too many requests from this address or for this account; try again after Retry-After"}
THROTTLED_PATHS = ("/verify", "/auth/token")


def install_openapi(app: FastAPI) -> None:
    """Replace FastAPI's document with one whose error responses are the ones the handlers send."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title, version=app.version, summary=app.summary, routes=app.routes
            )
            _document_errors(document)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _document_errors(document: dict[str, Any]) -> None:
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)  # FastAPI's own 422 body, which our handler never sends
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            codes = dict(EVERY_ROUTE)
            if method != "get":
                codes |= WRITES
            if path.endswith(THROTTLED_PATHS):
                codes |= THROTTLED
            responses = operation.setdefault("responses", {})
            for code, description in codes.items():
                responses[code] = {
                    "description": description,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                }
