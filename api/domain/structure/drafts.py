"""Which reader a draft needs: Markdown by its name, indented text by its shape, else blocks of text."""

from api.domain.structure.markdown import parse_markdown
from api.domain.structure.outline import StructuredParagraph
from api.domain.structure.plain import is_line_per_unit, parse_indented, parse_plain, split_blocks, text_lines

MARKDOWN_SUFFIXES = (".md", ".markdown")


def read_draft(text: str, filename: str) -> list[StructuredParagraph]:
    """The paragraphs of a draft, read as its format says (InvalidInput if it holds none)."""
    if filename.lower().endswith(MARKDOWN_SUFFIXES):
        return parse_markdown(text)
    if is_line_per_unit(text):
        return parse_indented(text)
    return parse_plain(text)


def rough_pieces(text: str, filename: str) -> list[str]:
    """The draft cut cheaply, before it is parsed: at least as many pieces as it will have paragraphs
    for plain and indented text (blocks, lines), no more than its paragraphs for Markdown."""
    if not filename.lower().endswith(MARKDOWN_SUFFIXES) and is_line_per_unit(text):
        return text_lines(text)
    return split_blocks(text)
