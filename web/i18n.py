"""The interface languages: Babel catalogues read at runtime, and the choice of language per request."""

import io
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from fastapi import Request

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LOCALES = ("en", "zh")
DEFAULT_LOCALE = "en"
LOCALE_COOKIE = "accord_locale"
# How each interface language is named in its own script, and its BCP 47 tag for lang attributes.
LOCALE_NAMES = {"en": "English", "zh": "中文"}
LOCALE_TAGS = {"en": "en", "zh": "zh-Hans"}
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "yi", "ps", "sd", "ug"})

_current: ContextVar[str] = ContextVar("accord_locale", default=DEFAULT_LOCALE)


@lru_cache
def translations(locale: str) -> NullTranslations:
    """The catalogue of an interface language, compiled in memory from its .po file (no .mo in git)."""
    path = LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
    if not path.is_file():
        return NullTranslations()
    with path.open("rb") as source:
        catalog = read_po(source, locale=locale)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(fp=compiled)


def negotiate(cookie: str | None, accept_language: str | None) -> str:
    """The language chosen with the switcher, else the browser's first of ours (zh* → zh), else English."""
    if cookie in LOCALES:
        return str(cookie)
    for tag in _by_preference(accept_language or ""):
        primary = tag.split("-")[0]
        if primary in LOCALES:
            return primary
    return DEFAULT_LOCALE


def _by_preference(header: str) -> list[str]:
    weighted: list[tuple[float, int, str]] = []
    for index, item in enumerate(header.split(",")):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            weighted.append((-quality, index, tag.lower()))
    return [tag for _q, _i, tag in sorted(weighted)]


def locale_of(request: Request) -> str:
    """The interface language of a request."""
    return negotiate(request.cookies.get(LOCALE_COOKIE), request.headers.get("accept-language"))


def use_locale(locale: str) -> None:
    """Make `locale` the language of the messages rendered from now on in this context."""
    _current.set(locale)


def current_locale() -> str:
    """The interface language being rendered."""
    return _current.get()


def gettext(message: str) -> str:
    """A message in the current interface language."""
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """A message with a count in the current interface language."""
    return translations(_current.get()).ngettext(singular, plural, count)


def text_direction(language: str | None) -> str:
    """rtl for texts in right-to-left scripts, else ltr."""
    return "rtl" if (language or "").split("-")[0].lower() in RTL_LANGUAGES else "ltr"
