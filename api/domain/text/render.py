"""Redlines as HTML in UN style: struck text in <del>, added text in <ins>; every character escaped."""

from collections.abc import Iterable
from html import escape

from api.domain.text.document import DocumentRedline, ParagraphRedline
from api.domain.text.redline import Op

_LABELS = {
    "unchanged": "",
    "modified": "",
    "moved": "moved",
    "moved_modified": "moved and amended",
    "split": "split",
    "merged": "merged",
    "inserted": "new paragraph",
    "deleted": "deleted paragraph",
}

_PAGE_STYLE = """
body { font: 16px/1.5 "Times New Roman", "Noto Serif CJK SC", "Songti SC", serif; max-width: 48rem;
       margin: 2rem auto; padding: 0 1rem; color: #111; }
.paragraph { white-space: pre-wrap; margin: 0 0 1em; }
.label { font: 12px sans-serif; color: #555; margin-right: .5em; text-transform: uppercase; }
del { text-decoration: line-through; color: #a00; }
ins { text-decoration: underline; color: #060; }
.old, .new { vertical-align: top; white-space: pre-wrap; width: 50%; padding: .25em .5em; }
"""


def render_inline(ops: Iterable[Op]) -> str:
    """One HTML fragment: kept text as is, deletions in <del>, insertions in <ins>, all escaped."""
    parts = []
    for op in ops:
        text = escape(op.text, quote=True)
        if op.kind == "delete":
            parts.append(f"<del>{text}</del>")
        elif op.kind == "insert":
            parts.append(f"<ins>{text}</ins>")
        else:
            parts.append(text)
    return "".join(parts)


def render_side_by_side(ops: Iterable[Op]) -> tuple[str, str]:
    """Two HTML fragments: the old text with its deletions marked, the new text with its insertions."""
    old_parts, new_parts = [], []
    for op in ops:
        text = escape(op.text, quote=True)
        if op.kind == "delete":
            old_parts.append(f"<del>{text}</del>")
        elif op.kind == "insert":
            new_parts.append(f"<ins>{text}</ins>")
        else:
            old_parts.append(text)
            new_parts.append(text)
    return "".join(old_parts), "".join(new_parts)


def render_entry(entry: ParagraphRedline) -> str:
    """One entry of a revision's redline as a <div>, labelled if moved, split, merged, new or deleted."""
    label = _LABELS[entry.kind]
    badge = f'<span class="label">{escape(label)}</span>' if label else ""
    return f'<div class="paragraph {entry.kind}">{badge}{render_inline(entry.ops)}</div>'


def render_page(redline: DocumentRedline, title: str = "Redline") -> str:
    """A self-contained HTML page with the redline of a whole revision."""
    body = "\n".join(render_entry(entry) for entry in redline.entries)
    note = "" if redline.exact else '<p class="label">Some paragraphs were cut short by a time limit.</p>'
    return (
        "<!DOCTYPE html>\n"
        '<html><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_PAGE_STYLE}</style></head>\n"
        f"<body><h1>{escape(title)}</h1>{note}\n{body}\n</body></html>\n"
    )
