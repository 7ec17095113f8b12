"""Token authentication for the JSON API: sign in, list and revoke tokens, sign out."""

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from pydantic import BaseModel

from api.http import Context, ReadContext, RowId, bearer_token, sign_in
from api.services import accounts
from api.services.accounts import SessionView

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
    username: Annotated[str, Form(min_length=1, max_length=64)],
    password: Annotated[str, Form(min_length=1, max_length=256)],
) -> TokenResponse:
    """OAuth2-style password grant: form fields username and password (the check holds no write lock)."""
    actor, token = sign_in(request, context.session, username, password, "api")
    return TokenResponse(
        access_token=token,
        expires_in=request.app.state.settings.token_ttl_seconds,
        username=actor.username,
        delegation=actor.delegation_code,
        roles=sorted({role for _process, role in actor.grants}),
    )


@router.post("/auth/logout", status_code=204, summary="Revoke the token this request carries")
def logout(request: Request, context: Context) -> Response:
    """The token stops working at once (401 from then on)."""
    token = bearer_token(request)
    if token and context.actor.is_authenticated:
        accounts.end_session(context.session, token)
    return Response(status_code=204)


@router.get("/auth/sessions", response_model=list[SessionView], summary="Your live tokens and sign-ins")
def list_sessions(request: Request, context: Context) -> list[SessionView]:
    """Every live session of the caller: API tokens and browser sign-ins, the current one marked."""
    return accounts.list_sessions(context.session, context.actor, bearer_token(request))


@router.delete("/auth/sessions/{session_id}", status_code=204, summary="Revoke one of your sessions")
def revoke_session(session_id: RowId, context: Context) -> Response:
    """End one of the caller's sessions (a lost laptop's sign-in, a leaked token)."""
    accounts.end_session_by_id(context.session, context.actor, session_id)
    return Response(status_code=204)
