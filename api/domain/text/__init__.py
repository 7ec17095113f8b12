"""Accord's text engine: redlines, paragraph alignment, proposal rebase, merge, brackets, mandate hints.

Pure functions over strings; no database, no web, no I/O. docs/ENGINE.md explains how each part works.

Redline
    diff(old, new, *, deadline=None) -> Redline            word diff (CJK: characters), semantic clean-up
    Redline.ops: tuple[Op, ...]; Op(kind, text); Redline.exact (False only if a deadline cut it)
    render_inline(ops) -> str; render_side_by_side(ops) -> (old_html, new_html)   escaped, <del>/<ins>
    split_paragraphs(text) -> list[str]                    blocks separated by blank lines
    redline_document(old_paragraphs, new_paragraphs) -> DocumentRedline   align, then diff per paragraph
    render_entry(entry) -> str; render_page(document_redline, title) -> str

Alignment
    align(old_paragraphs, new_paragraphs) -> Alignment     pairs (unchanged / modified / moved /
                                                           moved_modified), splits, merges, deleted, inserted

Proposals
    rebase(base, proposed, new_base) -> RebaseResult       carried, or the conflicts (Collision)
    merge(base, [(proposal_id, text), ...]) -> MergeResult text, spans with provenance, conflicts
    hunks_of(base, text) -> tuple[Hunk, ...]               a proposal's edits as base spans
    patch_text(base, text) -> str                          the same as diff-match-patch patch text

Brackets and status
    parse_brackets(text) -> BracketReport                  segments, options [x][y], bracketed chars, strays
    ParagraphStatus; status_of(text, declared, crossed=False); check_status(text, status); tally(paragraphs)
    crossing_brackets([(text, eid), ...]) -> CrossingBracket(first, last) … brackets over several paragraphs
    inside_crossing([(text, eid), ...]) -> [bool, ...]    which paragraphs such a bracket covers

Mandate
    suggest_elements(text, elements, limit=5) -> [(code, score), ...]
"""

from api.domain.text.align import (
    Alignment,
    PairKind,
    ParagraphMerge,
    ParagraphPair,
    ParagraphSplit,
    Thresholds,
    align,
)
from api.domain.text.brackets import (
    AgreementTally,
    BracketReport,
    BracketSegment,
    CrossingBracket,
    OptionGroup,
    ParagraphStatus,
    check_status,
    crossing_brackets,
    inside_crossing,
    parse_brackets,
    status_of,
    tally,
)
from api.domain.text.document import (
    DocumentRedline,
    EntryKind,
    ParagraphRedline,
    redline_document,
    split_paragraphs,
)
from api.domain.text.hunks import Hunk, hunks_of, patch_text
from api.domain.text.mandate import suggest_elements
from api.domain.text.merge import MergeConflict, MergeResult, ProvenanceOp, Span, merge
from api.domain.text.rebase import Collision, RebaseOutcome, RebaseResult, rebase
from api.domain.text.redline import Op, OpKind, Redline, changed_chars, diff, new_text, old_text
from api.domain.text.render import render_entry, render_inline, render_page, render_side_by_side
from api.domain.text.tokens import tokenise

__all__ = [
    "AgreementTally",
    "Alignment",
    "BracketReport",
    "BracketSegment",
    "Collision",
    "CrossingBracket",
    "DocumentRedline",
    "EntryKind",
    "Hunk",
    "MergeConflict",
    "MergeResult",
    "Op",
    "OpKind",
    "OptionGroup",
    "PairKind",
    "ParagraphMerge",
    "ParagraphPair",
    "ParagraphRedline",
    "ParagraphSplit",
    "ParagraphStatus",
    "ProvenanceOp",
    "RebaseOutcome",
    "RebaseResult",
    "Redline",
    "Span",
    "Thresholds",
    "align",
    "changed_chars",
    "check_status",
    "crossing_brackets",
    "diff",
    "hunks_of",
    "inside_crossing",
    "merge",
    "new_text",
    "old_text",
    "parse_brackets",
    "patch_text",
    "rebase",
    "redline_document",
    "render_entry",
    "render_inline",
    "render_page",
    "render_side_by_side",
    "split_paragraphs",
    "status_of",
    "suggest_elements",
    "tally",
    "tokenise",
]
