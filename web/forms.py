"""Turning submitted forms into the services' validated inputs, and where to go back to."""

from typing import TypeVar

from fastapi import Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, ValidationError

from api.domain.errors import InvalidInput

Model = TypeVar("Model", bound=BaseModel)


def parse(model: type[Model], **fields: object) -> Model:
    """Build a service input from form fields; a bad field is a clear InvalidInput, not a 500."""
    try:
        return model.model_validate(fields)
    except ValidationError as error:
        problems = [
            f"{'.'.join(str(part) for part in item['loc']) or 'form'}: {item['msg']}"
            for item in error.errors()
        ]
        # The first field at fault, so that the form can show the message next to it.
        first = error.errors()[0]["loc"]
        raise InvalidInput("; ".join(problems), field=str(first[0]) if first else None) from None


def local_path(target: str | None, default: str = "/") -> str:
    """A path on this site to go back to; anything else (another host, a scheme) becomes the default."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    return target


def see_other(target: str) -> RedirectResponse:
    """Redirect after a successful form post (303, so the browser follows with GET)."""
    return RedirectResponse(target, status_code=303)


def is_htmx(request: Request) -> bool:
    """Whether htmx made the request (and wants a fragment)."""
    return request.headers.get("hx-request") == "true"
