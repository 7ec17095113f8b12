"""Merging several proposals on one paragraph, three-way against the base, with provenance for every span.

Each proposal's edits become hunks on the base. Hunks of different proposals that neither overlap nor
touch are applied together. Where proposals made the very same edit, it is applied once and credited to
all of them. Anything else that overlaps or touches is a conflict: the base text stays there and the
conflict lists the proposals involved and what each wanted, for the co-facilitators to settle.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from api.domain.errors import InvalidInput
from api.domain.text.hunks import Cluster, Hunk, apply_hunks, clusters, hunks_of

NO_SOURCE: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the merged text and the proposals it came from (none: it is base text)."""

    text: str
    sources: frozenset[str] = NO_SOURCE


@dataclass(frozen=True, slots=True)
class ProvenanceOp:
    """One piece of the compromise redline against the base, with the proposals behind it."""

    kind: Literal["equal", "insert", "delete"]
    text: str
    sources: frozenset[str] = NO_SOURCE


@dataclass(frozen=True, slots=True)
class MergeConflict:
    """Proposals whose edits overlap or touch over base[start:end]; the merged text keeps the base there."""

    start: int
    end: int
    base_text: str
    proposals: tuple[str, ...]
    wanted: tuple[tuple[str, str], ...]  # (proposal id, its text for this span)
    merged_start: int  # where the kept base text sits in the merged text
    merged_end: int


@dataclass(frozen=True, slots=True)
class MergeResult:
    """The merged text, its spans with provenance, the redline against the base, and the conflicts."""

    text: str
    spans: tuple[Span, ...]
    ops: tuple[ProvenanceOp, ...]
    conflicts: tuple[MergeConflict, ...]

    @property
    def clean(self) -> bool:
        """True when every proposal's edits were merged without conflict."""
        return not self.conflicts


def merge(base: str, proposals: Sequence[tuple[str, str]]) -> MergeResult:
    """Merge proposals (id, proposed text) on one paragraph; overlapping edits become conflicts."""
    ids = [proposal_id for proposal_id, _ in proposals]
    if len(set(ids)) != len(ids):
        raise InvalidInput("each proposal to merge needs its own id")
    edits = [(proposal_id, hunk) for proposal_id, text in proposals for hunk in hunks_of(base, text)]
    builder = _Builder(base)
    for cluster in clusters(base, edits):
        builder.keep_base(cluster.start)
        if cluster.agreed:
            builder.apply(cluster)
        else:
            builder.conflict(cluster)
    builder.keep_base(len(base))
    return builder.result()


class _Builder:
    """Walks the base once, writing kept, replaced and conflicting spans."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.position = 0
        self.ops: list[ProvenanceOp] = []
        self.conflicts: list[MergeConflict] = []
        self.length = 0

    def keep_base(self, until: int) -> None:
        """Copy base text up to `until` unchanged."""
        self._add("equal", self.base[self.position : until], NO_SOURCE)
        self.position = max(self.position, until)

    def apply(self, cluster: Cluster) -> None:
        """Apply the one edit of an agreed cluster, credited to every proposal that made it."""
        hunk: Hunk = cluster.hunks[0][1]
        sources = frozenset(cluster.authors)
        self._add("delete", self.base[hunk.start : hunk.end], sources)
        self._add("insert", hunk.text, sources)
        self.position = hunk.end

    def conflict(self, cluster: Cluster) -> None:
        """Keep the base text over a disputed span and record who wanted what."""
        base_text = self.base[cluster.start : cluster.end]
        wanted = tuple(
            (
                author,
                apply_hunks(
                    self.base, cluster.start, cluster.end, [h for a, h in cluster.hunks if a == author]
                ),
            )
            for author in cluster.authors
        )
        start = self.length
        self._add("equal", base_text, NO_SOURCE)
        self.conflicts.append(
            MergeConflict(cluster.start, cluster.end, base_text, cluster.authors, wanted, start, self.length)
        )
        self.position = cluster.end

    def _add(self, kind: Literal["equal", "insert", "delete"], text: str, sources: frozenset[str]) -> None:
        if not text:
            return
        last = self.ops[-1] if self.ops else None
        if last and last.kind == kind and last.sources == sources:
            self.ops[-1] = ProvenanceOp(kind, last.text + text, sources)
        else:
            self.ops.append(ProvenanceOp(kind, text, sources))
        if kind != "delete":
            self.length += len(text)

    def result(self) -> MergeResult:
        spans: list[Span] = []
        for op in self.ops:
            if op.kind == "delete":
                continue
            if spans and spans[-1].sources == op.sources:
                spans[-1] = Span(spans[-1].text + op.text, op.sources)
            else:
                spans.append(Span(op.text, op.sources))
        text = "".join(span.text for span in spans)
        return MergeResult(text, tuple(spans), tuple(self.ops), tuple(self.conflicts))
