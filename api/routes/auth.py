"""Token authentication for the JSON API."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from pydantic import BaseModel

from api.http import ReadContext, sign_in
from api.services import accounts

router = APIRouter(tags=["auth"])


class TokenResponse(BaseModel):
    """A bearer token to send as `Authorization: Bearer <access_token>`."""

    access_token: str
    token_type: str = "bearer"
    expires_in: int
    username: str
    delegation: str | None
    roles: list[str]


@router.post(
    "/auth/token", response_model=TokenResponse, summary="Exchange username and password for a token"
)
def issue_token(
    request: Request,
    context: ReadContext,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
) -> TokenResponse:
    """OAuth2-style password grant: form fields username and password (no write lock is held)."""
    actor = sign_in(request, context.session, username, password)
    settings = request.app.state.settings
    ttl = settings.token_ttl_seconds
    token = accounts.issue_token(actor, settings.secret_key)
    return TokenResponse(
        access_token=token,
        expires_in=ttl,
        username=actor.username,
        delegation=actor.delegation_code,
        roles=sorted({role for _process, role in actor.grants}),
    )
