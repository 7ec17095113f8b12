"""Geometry for the observers' charts, drawn as SVG by the templates (attributes only, no inline style)."""

from dataclasses import dataclass

from api.domain.negotiation import ParagraphStatus
from api.services.history_schemas import AgreementProgress, CoverageMatrix

# Most settled first: the order of the progress bars and of their legend.
STATUSES = (
    ParagraphStatus.AGREED,
    ParagraphStatus.AGREED_AD_REF,
    ParagraphStatus.BRACKETED,
    ParagraphStatus.OPEN,
)
BAR_LEFT = 130
BAR_WIDTH = 560
ROW_HEIGHT = 26
ROW_GAP = 14


@dataclass(frozen=True)
class Segment:
    """One status's share of a revision's paragraphs."""

    status: str
    count: int
    x: float
    width: float
    percent: int


@dataclass(frozen=True)
class ProgressRow:
    """One revision's stacked bar."""

    label: str
    y: int
    total: int
    segments: list[Segment]
    agreed_percent: int
    bracket_segments: int


@dataclass(frozen=True)
class ProgressChart:
    """Agreement progress across revisions: one stacked bar per revision."""

    rows: list[ProgressRow]
    height: int
    bar_left: int = BAR_LEFT
    bar_width: int = BAR_WIDTH


def progress_chart(progress: AgreementProgress) -> ProgressChart:
    """Stacked bars of paragraph statuses per published revision."""
    rows = []
    for index, revision in enumerate(progress.revisions):
        statuses = revision.tally.statuses.model_dump()
        total = max(revision.tally.paragraph_count, 1)
        x = float(BAR_LEFT)
        segments = []
        for status in STATUSES:
            count = int(statuses.get(status, 0))
            width = BAR_WIDTH * count / total
            segments.append(Segment(status, count, round(x, 2), round(width, 2), round(100 * count / total)))
            x += width
        rows.append(
            ProgressRow(
                label=revision.revision.label,
                y=index * (ROW_HEIGHT + ROW_GAP) + 8,
                total=revision.tally.paragraph_count,
                segments=segments,
                agreed_percent=round(100 * revision.tally.share_agreed),
                bracket_segments=revision.tally.bracket_segments,
            )
        )
    return ProgressChart(rows=rows, height=max(len(rows), 1) * (ROW_HEIGHT + ROW_GAP) + 10)


@dataclass(frozen=True)
class CoverageRow:
    """How many of the mandate's elements one revision addresses, as a bar."""

    label: str
    y: int
    covered: int
    width: float
    percent: int
    # Paragraphs tagged with any element: with none, the bar says "not tagged", not "0 covered".
    tagged: int = 0


@dataclass(frozen=True)
class CoverageChart:
    """Elements covered per revision: one bar per revision, out of the mandate's elements."""

    rows: list[CoverageRow]
    element_count: int
    height: int
    bar_left: int = BAR_LEFT
    bar_width: int = BAR_WIDTH


def coverage_chart(matrix: CoverageMatrix) -> CoverageChart:
    """A bar per published revision: the share of mandate elements it addresses."""
    total = max(matrix.element_count, 1)
    rows = [
        CoverageRow(
            label=revision.label,
            y=index * (ROW_HEIGHT + ROW_GAP) + 8,
            covered=covered,
            width=round(BAR_WIDTH * covered / total, 2),
            percent=round(100 * covered / total),
            tagged=matrix.tagged_counts[index] if index < len(matrix.tagged_counts) else 0,
        )
        for index, (revision, covered) in enumerate(zip(matrix.revisions, matrix.covered, strict=True))
    ]
    return CoverageChart(
        rows=rows, element_count=matrix.element_count, height=len(rows) * (ROW_HEIGHT + ROW_GAP) + 10
    )


def heat_level(count: int) -> int:
    """The shade of a coverage cell: 0 (not addressed) to 4 (four or more paragraphs)."""
    return min(count, 4)
