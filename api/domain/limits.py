"""The bounds of what one request may ask for, so that no input costs unbounded work or overflows a column."""

from api.domain.errors import InvalidInput

# Row ids and versions are INTEGER columns: 32 bits on PostgreSQL (SQLite's 64 bits hold them too).
MAX_ROW_ID = 2**31 - 1
# A negotiated draft has hundreds of paragraphs (the GCM's final draft: about 200 with sub-paragraphs);
# an import of many thousands is a mistake or an attack, and would hold the process lock for minutes.
MAX_IMPORT_PARAGRAPHS = 5_000
# The longest real paragraphs run to a few thousand characters; the same cap as a proposal's text.
MAX_PARAGRAPH_CHARS = 20_000
# Proposals merged into one preview at once.
MAX_PROPOSALS_PER_REQUEST = 50


def check_paragraph_count(count: int, name: str) -> None:
    """Refuse a draft with more paragraphs than Accord takes (before any other work)."""
    if count > MAX_IMPORT_PARAGRAPHS:
        raise InvalidInput(f"{name} has {count} paragraphs; an import takes at most {MAX_IMPORT_PARAGRAPHS}")


def check_draft_size(blocks: list[str], name: str) -> None:
    """Refuse a draft with more paragraphs, or longer ones, than Accord takes."""
    check_paragraph_count(len(blocks), name)
    for number, block in enumerate(blocks, start=1):
        if len(block) > MAX_PARAGRAPH_CHARS:
            raise InvalidInput(
                f"{name}: paragraph {number} has {len(block)} characters; at most {MAX_PARAGRAPH_CHARS}"
            )
