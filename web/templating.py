"""Jinja2 templates with block rendering (jinja2-fragments) for htmx, i18n, and the text filters.

Autoescape is on for .html and .xml: user text is escaped unless a filter here marks the engine's own
escaped HTML (redlines, bracket highlights, provenance) as safe, and those filters escape every character
of the text themselves.
"""

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote, urlencode

from babel.dates import format_date, format_datetime
from fastapi import Request
from fastapi.responses import Response
from jinja2_fragments.fastapi import Jinja2Blocks
from markupsafe import Markup, escape

from api.domain.negotiation import (
    PENDING_STATES,
    Decision,
    ParagraphKind,
    ParagraphStatus,
    ProposalAction,
    ProposalState,
    RebaseStatus,
    RevisionState,
)
from api.domain.numbering import citation, citation_form, margin_label
from api.domain.text import Op, parse_brackets, render_inline, render_side_by_side
from api.services.actors import Actor
from web import i18n
from web.charts import STATUSES
from web.context import notice_of
from web.csrf import csrf_token
from web.labels import LABELS, REVISION, REVISION_NUMBERED

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

templates = Jinja2Blocks(directory=str(TEMPLATES_DIR))
templates.env.add_extension("jinja2.ext.i18n")
templates.env.install_gettext_callables(  # type: ignore[attr-defined]
    i18n.gettext, i18n.ngettext, newstyle=True
)
templates.env.trim_blocks = True
templates.env.lstrip_blocks = True


class TextOp(Protocol):
    """A redline operation as services return it (RedlineOp) or the engine makes it (Op)."""

    @property
    def kind(self) -> str: ...

    @property
    def text(self) -> str: ...


def _ops(ops: Iterable[TextOp]) -> list[Op]:
    return [
        Op(kind="insert" if o.kind == "insert" else "delete" if o.kind == "delete" else "equal", text=o.text)
        for o in ops
    ]


def redline(ops: Iterable[TextOp]) -> Markup:
    """UN-style inline redline: struck deletions, underlined insertions; every character escaped."""
    return Markup(render_inline(_ops(ops)))


def redline_sides(ops: Iterable[TextOp]) -> tuple[Markup, Markup]:
    """The old text with its deletions and the new text with its insertions, side by side."""
    old, new = render_side_by_side(_ops(ops))
    return Markup(old), Markup(new)


def has_changes(ops: Iterable[TextOp]) -> bool:
    """Whether a redline inserts or deletes anything."""
    return any(o.kind != "equal" for o in ops)


_BRACKETS = re.compile(r"[\[\]［］]")


_FORMAT_TAGS = {"strong": "strong", "em": "em"}


def bracketed(text: str, formatting: Sequence[Sequence[Any]] = ()) -> Markup:
    """The text escaped, with every bracketed segment (nested ones too) in <mark class="bracket">, and
    its formatting spans ([start, end, "em" | "strong"]) in <em> and <strong>.

    Emphasis may cross a bracket ("*[Taking* account"), so <em>/<strong> close and open again at every
    cut: the marks nest properly and the HTML stays well formed."""
    return _marked(text, formatting, brackets=True)


def formatted(text: str, formatting: Sequence[Sequence[Any]] = ()) -> Markup:
    """The text escaped, with its formatting spans in <em> and <strong> (headings: no bracket marks)."""
    return _marked(text, formatting, brackets=False)


def _marked(text: str, formatting: Sequence[Sequence[Any]], *, brackets: bool) -> Markup:
    spans = [(int(s[0]), int(s[1]), _FORMAT_TAGS[str(s[2])]) for s in formatting if str(s[2]) in _FORMAT_TAGS]
    if not spans and not (brackets and _BRACKETS.search(text)):  # most paragraphs: no need to parse
        return Markup(escape(text))
    segments = parse_brackets(text).segments if brackets and _BRACKETS.search(text) else ()
    if not segments and not spans:
        return Markup(escape(text))
    opens: dict[int, int] = {}
    closes: dict[int, int] = {}
    for segment in segments:
        opens[segment.start] = opens.get(segment.start, 0) + 1
        closes[segment.end] = closes.get(segment.end, 0) + 1
    bounds = {i for start, end, _tag in spans for i in (start, end) if 0 <= i <= len(text)}
    parts: list[str] = []
    cuts = sorted({0, len(text), *opens, *closes, *bounds})
    for start, end in itertools.pairwise(cuts):
        parts.append("</mark>" * closes.get(start, 0) + '<mark class="bracket">' * opens.get(start, 0))
        tags = sorted({tag for s, e, tag in spans if s <= start and end <= e}, reverse=True)
        piece = str(escape(text[start:end]))
        parts.append("".join(f"<{t}>" for t in tags) + piece + "".join(f"</{t}>" for t in reversed(tags)))
    parts.append("</mark>" * closes.get(len(text), 0))
    return Markup("".join(parts))


class SourcedSpan(Protocol):
    """A span of text with the proposals it came from."""

    @property
    def text(self) -> str: ...

    @property
    def sources(self) -> Sequence[str]: ...


def provenance(spans: Iterable[SourcedSpan]) -> Markup:
    """Compromise text with each span that came from proposals marked and labelled with them."""
    parts = []
    for span in spans:
        text = escape(span.text)
        if span.sources:
            names = escape(", ".join(span.sources))
            parts.append(f'<span class="sourced" title="{names}">{text}<sup class="src">{names}</sup></span>')
        else:
            parts.append(str(text))
    return Markup("".join(parts))


def roles_of(actor: Actor | None) -> list[str]:
    """Every role the actor holds, in any process."""
    return sorted({role for _process, role in actor.grants}) if actor else []


def revision_url(slug: str, label: str) -> str:
    """The reading view of a revision."""
    return f"/processes/{quote(slug, safe='')}/revisions/{quote(label, safe='')}"


def query(base: str, **params: str | None) -> str:
    """A URL with the given query parameters (empty ones left out)."""
    kept = {k: v for k, v in params.items() if v}
    return f"{base}?{urlencode(kept)}" if kept else base


def when(value: datetime | date | None, style: str = "medium") -> str:
    """A date or time in the interface language."""
    if value is None:
        return ""
    locale = "zh_Hans" if i18n.current_locale() == "zh" else "en_GB"
    if isinstance(value, datetime):
        return format_datetime(value, format=style, locale=locale, tzinfo=None)
    return format_date(value, format=style, locale=locale)


class Titled(Protocol):
    """A process, or what a page knows of one: its titles in both languages."""

    @property
    def title_en(self) -> str: ...

    @property
    def title_zh(self) -> str: ...


def process_title(process: Titled) -> str:
    """A process's title in the interface language (its English title where no Chinese one is known)."""
    chinese = process.title_zh if i18n.current_locale() == "zh" else ""
    return chinese or process.title_en


def other_title(process: Titled) -> tuple[str, str]:
    """The title in the other language, and that language's tag, shown under the main title."""
    if i18n.current_locale() == "zh":
        return process.title_en, "en"
    return process.title_zh, "zh"


_NUMBERED_REVISION = re.compile(r"Rev\.(\d+)")


def revision_name(label: str | None) -> str:
    """A revision's label as the interface language names it ("Rev.1" → 第1次修订稿); any other passes.

    Labels are data (URLs, form values, exports): only what is shown goes through here."""
    if not label:
        return ""
    if label in REVISION:
        return i18n.gettext(REVISION[label])
    numbered = _NUMBERED_REVISION.fullmatch(label)
    if numbered:
        return i18n.gettext(REVISION_NUMBERED) % {"number": numbered.group(1)}
    return label


class Named(Protocol):
    """A delegation or group as a view names it: in both languages."""

    @property
    def name_en(self) -> str: ...

    @property
    def name_zh(self) -> str: ...


def delegation_name(names: Named | None, code: str | None) -> str:
    """A delegation's or group's name in the interface language; its code where no name is known."""
    if names is None:
        return code or ""
    chinese = names.name_zh if i18n.current_locale() == "zh" else ""
    return chinese or names.name_en or code or ""


def iso(value: datetime | None) -> str:
    """A timestamp in RFC 3339 (for Atom and <time datetime>)."""
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else ""


templates.env.filters.update(
    redline=redline,
    redline_sides=redline_sides,
    bracketed=bracketed,
    formatted=formatted,
    provenance=provenance,
    when=when,
    iso=iso,
    revision_name=revision_name,
)
templates.env.globals.update(
    revision_url=revision_url,
    query=query,
    citation=citation,
    citation_form=citation_form,
    margin_label=margin_label,
    process_title=process_title,
    other_title=other_title,
    delegation_name=delegation_name,
    has_changes=has_changes,
    roles_of=roles_of,
    labels=LABELS,
    text_direction=i18n.text_direction,
    locale_names=i18n.LOCALE_NAMES,
    # The negotiation's names, so that templates compare with them instead of restating strings.
    Decision=Decision,
    ParagraphKind=ParagraphKind,
    ParagraphStatus=ParagraphStatus,
    ProposalAction=ProposalAction,
    ProposalState=ProposalState,
    RebaseStatus=RebaseStatus,
    RevisionState=RevisionState,
    PENDING_STATES=PENDING_STATES,
    STATUS_ORDER=STATUSES,
)


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    *,
    actor: Actor | None = None,
    status_code: int = 200,
    block: str | None = None,
    fragments: Mapping[str, str] | None = None,  # htmx target id → the template that renders it alone
    headers: Mapping[str, str] | None = None,
    public: bool = False,  # the same page for every anonymous reader: no session, no CSRF token in it
) -> Response:
    """Render a page, a block of it, or (for htmx) the fragment template of the element it targets."""
    locale = i18n.locale_of(request)
    i18n.use_locale(locale)
    if block is None and fragments and request.headers.get("hx-request"):
        template = fragments.get(request.headers.get("hx-target", ""), template)
    full = {
        **context,
        "actor": actor,
        "locale": locale,
        "locale_tag": i18n.LOCALE_TAGS[locale],
        "csrf_token": "" if public else csrf_token(request),
        "current_path": current_path(request),
        "unread_notifications": notice_of(request)[0],
    }
    response = templates.TemplateResponse(
        request, template, full, status_code=status_code, headers=dict(headers or {}), block_name=block
    )
    response.headers.setdefault("Vary", "Cookie, Accept-Language, HX-Request, HX-Target")
    return response


def current_path(request: Request) -> str:
    """The path and query of the request (where a form sends the reader back to)."""
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


def render_document(template: str, context: Mapping[str, Any], locale: str, path: str) -> str:
    """The main part of a reading page, rendered for nobody in particular (no actor, no CSRF token)."""
    i18n.use_locale(locale)
    common = {"actor": None, "csrf_token": "", "current_path": path}
    return templates.get_template(template).render(
        **context, **common, locale=locale, locale_tag=i18n.LOCALE_TAGS[locale]
    )


def render_page(template: str, context: Mapping[str, Any], locale: str, path: str) -> str:
    """A whole page as an anonymous reader gets it (what `render` gives with public=True, as text)."""
    i18n.use_locale(locale)
    common = {"actor": None, "csrf_token": "", "current_path": path, "locale": locale}
    return templates.get_template(template).render(**context, **common, locale_tag=i18n.LOCALE_TAGS[locale])


def rendered_document(html: str) -> Markup:
    """A document that render_document produced (autoescaped by our own templates), to place in its page."""
    return Markup(html)


def render_text(template: str, context: Mapping[str, Any], locale: str) -> str:
    """A template rendered to a string in a given interface language (live-update notices)."""
    i18n.use_locale(locale)
    return templates.get_template(template).render(**context)
