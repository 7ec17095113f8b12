"""Driving the web workspace in Debian's Chromium: live servers, signed-in pages, checks and screenshots."""

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Dialog, Error, Page, Response, expect
from sqlalchemy import Engine

from api.app import create_app
from api.services.live import LiveHub
from tests.conftest import DEMO_PASSWORD, app_settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
LAPTOP = {"width": 1366, "height": 900}
TABLET = {"width": 820, "height": 1180}


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class LiveServer:
    """A real uvicorn server in a thread over a test database."""

    url: str
    app: FastAPI
    server: uvicorn.Server
    thread: threading.Thread

    @property
    def hub(self) -> LiveHub:
        """The app's live-update hub."""
        hub: LiveHub = self.app.state.live_hub
        return hub

    def wait_for_subscribers(self, count: int, timeout: float = 10) -> None:
        """Wait until `count` live-update streams are open (and listening, on PostgreSQL)."""
        deadline = time.monotonic() + timeout
        while self.hub.subscriber_count() < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert self.hub.subscriber_count() >= count, "the page did not open its live-update stream"
        assert self.hub.wait_until_listening(timeout)

    def stop(self) -> None:
        """End the open streams first (as a signal would), then shut the server down."""
        self.hub.end_streams()
        self.server.should_exit = True
        self.thread.join(timeout=15)
        assert not self.thread.is_alive(), "the server did not shut down"


@contextmanager
def live_server(engine: Engine) -> Iterator[LiveServer]:
    """Serve the app over the engine on a free port for the duration of the block."""
    app = create_app(app_settings(engine), engine)
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the server did not start"
    running = LiveServer(f"http://127.0.0.1:{port}", app, server, thread)
    try:
        yield running
    finally:
        running.stop()


@dataclass
class Watcher:
    """Collects console errors, page errors and dialogs of every page it watches."""

    problems: list[str] = field(default_factory=list)
    expected: list[str] = field(default_factory=list)
    responses: list[str] = field(default_factory=list)

    @contextmanager
    def expecting(self, text: str) -> Iterator[None]:
        """Allow (and require) one console error containing `text`, e.g. the 409 of a refused stale edit."""
        self.expected.append(text)
        yield
        assert text not in self.expected, f"expected a console error with {text!r}"

    def watch(self, page: Page) -> Page:
        """Start watching a page."""
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("dialog", self._dialog)
        page.on("response", self._response)
        return page

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.responses.append(f"{response.status} {response.request.method} {response.url}")

    def _console(self, message: ConsoleMessage) -> None:
        allowed = next((text for text in self.expected if text in message.text), None)
        if allowed is not None:
            self.expected.remove(allowed)
        elif message.type in ("error", "assert"):
            self.problems.append(
                f"console {message.type} on {message.page.url if message.page else '?'}: {message.text}"
            )

    def _dialog(self, dialog: Dialog) -> None:
        self.problems.append(f"a dialog opened: {dialog.type} {dialog.message!r}")
        dialog.dismiss()

    def assert_clean(self) -> None:
        """No console error, page error or dialog so far."""
        assert not self.problems, "\n".join([*self.problems, "error responses:", *self.responses])


# Say which element broke the Content-Security-Policy (the browser's own message does not).
REPORT_CSP_VIOLATIONS = """document.addEventListener('securitypolicyviolation', (e) => {
  const where = e.target && e.target.outerHTML ? e.target.outerHTML.slice(0, 200) : String(e.target);
  console.error('CSP violation: ' + e.violatedDirective + ' by ' + where + ' sample ' + e.sample);
});"""


def launch(playwright: Any) -> Browser:
    """Debian's Chromium, headless, as on the CI machines."""
    browser: Browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    return browser


@dataclass
class Person:
    """A browser context signed in (or not) as one person, with one page."""

    context: BrowserContext
    page: Page
    base: str

    def go(self, path: str) -> Page:
        """Open a path of the live server and wait for the page."""
        self.page.goto(self.base + path)
        return self.page

    def shot(self, name: str, full_page: bool = True) -> None:
        """Keep a screenshot of the current page as a test artefact."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page, caret="initial")


def person(
    browser: Browser,
    watcher: Watcher,
    base: str,
    username: str | None = None,
    locale: str = "en-GB",
    viewport: dict[str, int] | None = None,
) -> Person:
    """A new browser context for a person, signed in through the sign-in form when a username is given."""
    context = browser.new_context(locale=locale, viewport=viewport or LAPTOP)  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = watcher.watch(context.new_page())
    who = Person(context, page, base)
    if username:
        sign_in(who, username)
    return who


def sign_in(who: Person, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the form and land on the processes."""
    page = who.go("/sign-in")
    page.get_by_label(re.compile("^(Username|用户名)$")).fill(username)
    page.get_by_label(re.compile("^(Password|密码)$")).fill(password)
    page.locator("form.panel button[type=submit]").click()
    expect(page.locator(".who .person strong")).to_have_text(username)


ACCESSIBILITY_PROBLEMS = """() => {
  const problems = [];
  if (!document.querySelector('main')) problems.push('no <main> landmark');
  if (!document.querySelector('h1')) problems.push('no <h1>');
  if (!document.documentElement.lang) problems.push('no lang on <html>');
  const unnamed = (el) => {
    if (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')) return false;
    if (el.labels && el.labels.length) return false;
    if (el.tagName === 'BUTTON' || el.tagName === 'A') return !el.textContent.trim();
    return true;
  };
  for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea, button, a[href]')) {
    if (el.closest('[hidden]')) continue;
    if (unnamed(el)) problems.push('no accessible name: ' + el.outerHTML.slice(0, 120));
  }
  for (const el of document.querySelectorAll('[style]')) problems.push('style: ' + el.outerHTML.slice(0, 80));
  for (const el of document.querySelectorAll('script:not([src])')) problems.push('inline script');
  return problems;
}"""


def assert_accessible(page: Page) -> None:
    """Landmarks, a heading, a language, a name for every control; no inline style or script."""
    problems = page.evaluate(ACCESSIBILITY_PROBLEMS)
    assert not problems, f"{page.url}: {problems}"


def assert_no_injection(page: Page) -> None:
    """Nothing a user typed ran or became markup: no flag set, no injected element."""
    try:
        flagged = page.evaluate("() => window.__xss === undefined ? null : String(window.__xss)")
        injected = page.evaluate(
            "() => document.querySelectorAll('img, script:not([src]), [onerror], [onclick], iframe').length"
        )
    except Error as error:  # a navigation in progress: try once more on the settled page
        raise AssertionError(f"could not inspect {page.url}: {error}") from error
    assert flagged is None, f"{page.url}: injected script ran ({flagged})"
    assert injected == 0, f"{page.url}: {injected} injected element(s)"
