"""The bare parts: FastAPI + Jinja2 + sqlite3 rendering the same revision rows as Accord, nothing else.

What Accord is compared with in bench/serve.py (`uvicorn bench.bare:app`, database from BENCH_BARE_DB):
a revision's paragraphs (text, number, kind, status, eId, a link to the paragraph's history) as a page
or as JSON, and a compare of two revisions (paragraphs paired by identity, each pair redlined with the
C++ diff-match-patch, struck and underlined). One sqlite3 query per read, no sessions, no roles, no
middleware: the cost of the parts Accord is built from.

For the submits (bench/scale.py), a POST of the same JSON body as Accord's proposal submit, validated by
a pydantic model, stored as one row in a transaction of its own, with the same durability as Accord's
SQLite (WAL, synchronous=FULL, BEGIN IMMEDIATE): the floor a submit that must survive a power cut costs.
"""

import json
import os
import sqlite3
import threading
from html import escape

import fast_diff_match_patch
from fastapi import FastAPI, Header
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment
from markupsafe import Markup
from pydantic import BaseModel

ROWS = """
SELECT pv.paragraph_id, pv.number, pv.kind, pv.status, pv.eid, pv.text, p.key
FROM paragraph_version pv
JOIN paragraph p ON p.id = pv.paragraph_id
JOIN revision r ON r.id = pv.revision_id
JOIN process pr ON pr.id = r.process_id
WHERE pr.slug = ? AND r.label = ?
ORDER BY pv.position
"""
PAGE = Environment(autoescape=True).from_string(
    """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ label }}</title>
<link rel="stylesheet" href="/static/accord.css"></head><body><main><h1>{{ label }}</h1>
{% for id, number, kind, status, eid, text, key in rows %}
<div id="{{ key }}" class="para kind-{{ kind }} para-status-{{ status }}" data-eid="{{ eid }}">
{% if number %}<a class="num" href="#{{ key }}">{{ number }}.</a>{% endif %}
<p class="para-text">{{ text }}</p>
<a href="/processes/{{ slug }}/paragraphs/{{ key }}">History</a></div>
{% endfor %}</main></body></html>"""
)
COMPARE = Environment(autoescape=True).from_string(
    """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ old }} → {{ new }}</title>
</head><body><main><h1>{{ old }} → {{ new }}</h1>
{% for key, number, html in rows %}
<section id="change-{{ key }}"><div class="change-num">{{ number or "" }}</div>
<p class="redline">{{ html }}</p></section>
{% endfor %}</main></body></html>"""
)

app = FastAPI()
_local = threading.local()


def _connection() -> sqlite3.Connection:
    """One connection per thread of the pool, opened once."""
    connection: sqlite3.Connection | None = getattr(_local, "connection", None)
    if connection is None:
        connection = sqlite3.connect(
            os.environ["BENCH_BARE_DB"], check_same_thread=False, isolation_level=None, timeout=10
        )
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute(
            "CREATE TABLE IF NOT EXISTS bare_submit (id INTEGER PRIMARY KEY, idempotency_key TEXT UNIQUE, "
            "paragraph_key TEXT, action TEXT, text TEXT, justification TEXT)"
        )
        _local.connection = connection
    return connection


def _rows(slug: str, label: str) -> list[tuple[object, ...]]:
    return _connection().execute(ROWS, (slug, label)).fetchall()


@app.get("/processes/{slug}/revisions/{label}")
def revision_page(slug: str, label: str) -> HTMLResponse:
    """The revision's rows as a page."""
    return HTMLResponse(PAGE.render(rows=_rows(slug, label), label=label, slug=slug))


@app.get("/api/v1/processes/{slug}/revisions/{label}")
def revision_json(slug: str, label: str) -> Response:
    """The revision's rows as JSON."""
    fields = ("paragraph_id", "number", "kind", "status", "eid", "text", "key")
    body = {"label": label, "paragraphs": [dict(zip(fields, row, strict=True)) for row in _rows(slug, label)]}
    return Response(json.dumps(body, ensure_ascii=False), media_type="application/json")


@app.get("/processes/{slug}/compare")
def compare(slug: str, old: str, new: str) -> HTMLResponse:
    """Two revisions' paragraphs paired by identity, each pair redlined."""
    before = {row[0]: row for row in _rows(slug, old)}
    rows = []
    for row in _rows(slug, new):
        previous = before.get(row[0])
        rows.append((row[6], row[1], _redline(str(previous[5]) if previous else "", str(row[5]))))
    return HTMLResponse(COMPARE.render(rows=rows, old=old, new=new))


def _redline(old: str, new: str) -> Markup:
    """Character diff with semantic clean-up: kept text, <del> and <ins>, all escaped."""
    parts = []
    for sign, text in fast_diff_match_patch.diff(old, new, cleanup="Semantic", counts_only=False):
        piece = escape(text)
        tag = {"-": "del", "+": "ins"}.get(sign)
        parts.append(f"<{tag}>{piece}</{tag}>" if tag else piece)
    return Markup("".join(parts))


class Submitted(BaseModel):
    """The body of a proposal submit."""

    paragraph_key: str
    action: str
    text: str
    justification: str = ""


@app.post("/api/v1/processes/{slug}/proposals", status_code=201)
def submit(slug: str, data: Submitted, idempotency_key: str = Header()) -> dict[str, object]:
    """One row per submit, committed (and synced) before the answer."""
    connection = _connection()
    connection.execute("BEGIN IMMEDIATE")
    try:
        cursor = connection.execute(
            "INSERT INTO bare_submit (idempotency_key, paragraph_key, action, text, justification) "
            "VALUES (?, ?, ?, ?, ?)",
            (idempotency_key, data.paragraph_key, data.action, data.text, data.justification),
        )
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return {"id": cursor.lastrowid, "process": slug, **data.model_dump()}
