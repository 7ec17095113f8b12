"""Checks a machine can make on the web layer: no inline script or style, nothing marked safe, catalogues."""

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from web.i18n import LOCALE_DIR
from web.templating import TEMPLATES_DIR

WEB = TEMPLATES_DIR.parent
BABEL_CONFIG = LOCALE_DIR / "babel.cfg"


def _templates() -> list[Path]:
    return sorted([*TEMPLATES_DIR.rglob("*.html"), *TEMPLATES_DIR.rglob("*.xml")])


def test_templates_hold_no_inline_script_style_or_event_handler() -> None:
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), f"{path.name}: inline <script>"
        assert not re.search(r"<style\b|\sstyle=", text), f"{path.name}: inline style"
        assert not re.search(r"\son[a-z]+\s*=", text, re.IGNORECASE), f"{path.name}: event handler attribute"
        assert not re.search(r"\|\s*safe\b|autoescape\s+false", text), f"{path.name}: text marked safe"
        assert "hx-on" not in text and "javascript:" not in text, f"{path.name}: script in an attribute"


def test_only_the_text_filters_mark_html_safe() -> None:
    marking = [p.name for p in WEB.rglob("*.py") if "Markup(" in p.read_text(encoding="utf-8")]
    assert marking == ["templating.py"]


def _extracted() -> set[str]:
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(WEB), method_map, options, keywords=keywords
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_interface_message_is_in_both_catalogues_and_translated_to_chinese() -> None:
    extracted = _extracted()
    assert len(extracted) > 200
    for locale in ("en", "zh"):
        with (LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as source:
            catalog = read_po(source, locale=locale)
        ids = {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalog if m.id}
        assert extracted <= ids, f"{locale}: missing {sorted(extracted - ids)[:10]}"
        if locale == "zh":
            untranslated = [
                m.id
                for m in catalog
                if m.id and not (m.string[0] if isinstance(m.string, tuple) else m.string)
            ]
            assert not untranslated, f"untranslated: {untranslated[:10]}"
            assert not [m.id for m in catalog if m.id and m.fuzzy]
