"""Signing in and out with a session cookie, and choosing the interface language."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response

from api.domain.errors import TooManyRequests, Unauthenticated
from api.domain.throttle import retry_after_header
from api.http import SESSION_SECRET_KEY, web_session_secret
from api.http import sign_in as check_sign_in
from api.services import accounts
from api.services.seeding import DemoAccount, demo_accounts
from web.context import WebContext, WebReadContext
from web.csrf import check_csrf, rotate_csrf_token
from web.forms import local_path, see_other
from web.i18n import LOCALE_COOKIE, LOCALES
from web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])

LOCALE_COOKIE_SECONDS = 365 * 24 * 3600


def _demo_accounts(request: Request) -> list[DemoAccount]:
    settings = request.app.state.settings
    return [] if settings.mode == "production" else demo_accounts(settings.drafts_dir)


@router.get("/sign-in")
def sign_in_page(request: Request, context: WebContext, next: str = "/") -> Response:
    """The sign-in form (and the demo accounts, outside production)."""
    page = {"next": local_path(next), "username": "", "demo_accounts": _demo_accounts(request)}
    return render(request, "sign_in.html", page, actor=context.actor)


@router.post("/sign-in")
def sign_in(
    request: Request,
    context: WebReadContext,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Check the password; on success a server-side session (its secret in the cookie), a new CSRF token."""
    try:
        _actor, secret = check_sign_in(request, context.session, username, password, "web")
    except (Unauthenticated, TooManyRequests) as error:
        wait = retry_after_header(error.retry_after) if isinstance(error, TooManyRequests) else None
        page = {
            "next": local_path(next),
            "username": username,
            "error": error.message,
            "retry_after": wait,
            "demo_accounts": _demo_accounts(request),
        }
        headers = {"Retry-After": wait} if wait else None
        return render(
            request, "sign_in.html", page, actor=context.actor, status_code=error.status_code, headers=headers
        )
    request.session.clear()
    request.session[SESSION_SECRET_KEY] = secret
    rotate_csrf_token(request)
    return see_other(local_path(next))


@router.post("/sign-out")
def sign_out(request: Request, context: WebContext) -> Response:
    """End the session on the server (a saved copy of the cookie no longer works) and clear the cookie."""
    secret = web_session_secret(request)
    if secret:
        accounts.end_session(context.session, secret)
    request.session.clear()
    return see_other("/")


@router.post("/language")
def choose_language(
    locale: Annotated[str, Form(max_length=8)], next: Annotated[str, Form(max_length=2000)] = "/"
) -> Response:
    """Remember the chosen interface language in a cookie and go back to the page."""
    return _remember_language(locale, next)


@router.get("/language")
def choose_language_from_public_page(
    locale: Annotated[str, Query(max_length=8)], next: Annotated[str, Query(max_length=2000)] = "/"
) -> Response:
    """The same choice from a public page, which has no session token (it sets a preference only)."""
    return _remember_language(locale, next)


def _remember_language(locale: str, next: str) -> Response:
    response = see_other(local_path(next))
    if locale in LOCALES:
        response.set_cookie(
            LOCALE_COOKIE, locale, max_age=LOCALE_COOKIE_SECONDS, samesite="lax", httponly=True
        )
    return response
