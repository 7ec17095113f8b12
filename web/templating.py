"""Jinja2 templates with block rendering (jinja2-fragments) for htmx partial updates."""

from pathlib import Path

from jinja2_fragments.fastapi import Jinja2Blocks

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

# Autoescape is on for .html: every piece of user text is escaped unless a template says otherwise.
templates = Jinja2Blocks(directory=str(TEMPLATES_DIR))

PART_TITLES = {
    "front": "Resolution",
    "body": "Declaration",
    "annex1": "Annex I",
    "annex2": "Annex II",
}
STATUS_LABELS = {
    "open": "Open",
    "bracketed": "Bracketed",
    "agreed_ad_ref": "Agreed ad ref",
    "agreed": "Agreed",
}
templates.env.globals.update(part_titles=PART_TITLES, status_labels=STATUS_LABELS)
