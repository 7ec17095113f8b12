"""Square brackets: text not yet agreed. Nested brackets, competing options [x][y], and paragraph status.

Unbalanced input is common in drafts typed in a hurry; it is reported with the positions of the brackets
that have no partner, never raised.
"""

import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from api.domain.errors import InvalidInput

_OPENING = frozenset("[［")
_CLOSING = frozenset("]］")
# Between two options: nothing, or a slash. "[x] [y]" with only a space is two separate disputes.
_SLASHES = ("/", "／")


@dataclass(frozen=True, slots=True)
class BracketSegment:
    """One bracketed stretch: text[start:end] includes both brackets; `inner` is what they enclose."""

    start: int
    end: int
    depth: int  # 1 for an outermost segment
    inner: str


@dataclass(frozen=True, slots=True)
class OptionGroup:
    """Competing alternatives written back to back: [x][y] or [x]/[y]."""

    segments: tuple[BracketSegment, ...]

    @property
    def alternatives(self) -> tuple[str, ...]:
        """The text of each option."""
        return tuple(segment.inner for segment in self.segments)


@dataclass(frozen=True, slots=True)
class BracketReport:
    """What brackets a paragraph holds: every segment, option groups, bracketed characters, strays."""

    segments: tuple[BracketSegment, ...]
    options: tuple[OptionGroup, ...]
    bracketed_chars: int
    unbalanced: tuple[int, ...]

    @property
    def outermost(self) -> tuple[BracketSegment, ...]:
        """The segments not inside another one."""
        return tuple(segment for segment in self.segments if segment.depth == 1)

    @property
    def segment_count(self) -> int:
        """How many outermost bracketed segments the paragraph has."""
        return len(self.outermost)

    @property
    def balanced(self) -> bool:
        """Every bracket has its partner."""
        return not self.unbalanced

    @property
    def has_brackets(self) -> bool:
        """The paragraph holds any bracket at all, matched or not."""
        return bool(self.segments or self.unbalanced)


def parse_brackets(text: str) -> BracketReport:
    """Find bracketed segments (nested too), option groups and unbalanced brackets in a paragraph."""
    pairs: list[tuple[int, int]] = []
    open_at: list[int] = []
    strays: list[int] = []
    for index, char in enumerate(text):
        if char in _OPENING:
            open_at.append(index)
        elif char in _CLOSING and open_at:
            pairs.append((open_at.pop(), index + 1))
        elif char in _CLOSING:
            strays.append(index)
    strays.extend(open_at)
    segments, siblings = _nest(text, sorted(pairs))
    options = [group for family in siblings.values() for group in _option_groups(text, family)]
    options.sort(key=lambda group: group.segments[0].start)
    outer_chars = sum(len(segment.inner) for segment in segments if segment.depth == 1)
    return BracketReport(tuple(segments), tuple(options), outer_chars, tuple(sorted(strays)))


def _nest(
    text: str, pairs: list[tuple[int, int]]
) -> tuple[list[BracketSegment], dict[int, list[BracketSegment]]]:
    """Depth of each matched pair, counting only matched pairs around it (a stray "[" encloses nothing)."""
    segments: list[BracketSegment] = []
    siblings: dict[int, list[BracketSegment]] = defaultdict(list)  # by the start of the enclosing segment
    enclosing: list[BracketSegment] = []
    for start, end in pairs:
        while enclosing and enclosing[-1].end <= start:
            enclosing.pop()
        segment = BracketSegment(start, end, len(enclosing) + 1, text[start + 1 : end - 1])
        segments.append(segment)
        siblings[enclosing[-1].start if enclosing else -1].append(segment)
        enclosing.append(segment)
    return segments, siblings


def _option_groups(text: str, family: list[BracketSegment]) -> list[OptionGroup]:
    """Among segments with the same parent, runs written back to back ([x][y], [x]/[y]) are alternatives."""
    groups: list[OptionGroup] = []
    run: list[BracketSegment] = []
    for segment in sorted(family, key=lambda s: s.start):
        if run and _separates_options(text[run[-1].end : segment.start]):
            run.append(segment)
            continue
        if len(run) >= 2:
            groups.append(OptionGroup(tuple(run)))
        run = [segment]
    if len(run) >= 2:
        groups.append(OptionGroup(tuple(run)))
    return groups


def _separates_options(between: str) -> bool:
    return between == "" or between.strip() in _SLASHES


@dataclass(frozen=True, slots=True)
class CrossingBracket:
    """A bracket opened in one paragraph and closed in a later one: paragraphs first … last lie inside."""

    first: int
    last: int


def crossing_brackets(paragraphs: Sequence[tuple[str, str]]) -> tuple[CrossingBracket, ...]:
    """The brackets that run over several paragraphs, given (text, eId) in reading order.

    A "[" left open at the end of a paragraph is closed by the next paragraph that holds an unmatched
    bracket, when that is a "]" and every paragraph between the two sits under the opening one (its eId
    below the opener's: a chapeau "[Each Party shall:" and its items); the closing paragraph may be the
    last item or the next one after them. Otherwise each is a stray of its own paragraph: a slip of the
    pen must not bracket the rest of the draft.
    """
    reports = [parse_brackets(text) for text, _eid in paragraphs]
    unmatched = [i for i, report in enumerate(reports) if report.unbalanced]
    crossings = []
    for opener, closer in itertools.pairwise(unmatched):
        (text, eid), (later, _later_eid) = paragraphs[opener], paragraphs[closer]
        if text[reports[opener].unbalanced[-1]] not in _OPENING:
            continue
        if later[reports[closer].unbalanced[0]] not in _CLOSING:
            continue
        if all(paragraphs[k][1].startswith(eid + "__") for k in range(opener + 1, closer)):
            crossings.append(CrossingBracket(opener, closer))
    return tuple(crossings)


def inside_crossing(paragraphs: Sequence[tuple[str, str]]) -> list[bool]:
    """For each paragraph (text, eId), whether a bracket running over several paragraphs covers it."""
    inside = [False] * len(paragraphs)
    for crossing in crossing_brackets(paragraphs):
        for index in range(crossing.first, crossing.last + 1):
            inside[index] = True
    return inside


class ParagraphStatus(StrEnum):
    """How far a paragraph is from agreement."""

    OPEN = "open"
    BRACKETED = "bracketed"
    AGREED_AD_REF = "agreed_ad_ref"  # agreed ad referendum: pending capitals' approval
    AGREED = "agreed"


_SETTLED = (ParagraphStatus.AGREED_AD_REF, ParagraphStatus.AGREED)


def status_of(
    text: str, declared: ParagraphStatus = ParagraphStatus.OPEN, *, crossed: bool = False
) -> ParagraphStatus:
    """The status a paragraph shows: bracketed if it holds brackets or lies inside a bracket that runs
    over several paragraphs (`crossed`, from `inside_crossing`), else what co-facilitators declared."""
    if crossed or parse_brackets(text).has_brackets:
        return ParagraphStatus.BRACKETED
    return ParagraphStatus.OPEN if declared == ParagraphStatus.BRACKETED else declared


def check_status(text: str, status: ParagraphStatus) -> None:
    """Refuse to mark a paragraph agreed (or agreed ad ref) while it still holds brackets."""
    report = parse_brackets(text)
    if status in _SETTLED and report.has_brackets:
        raise InvalidInput(
            f"a paragraph with brackets cannot be {status.value}: "
            f"{report.segment_count} bracketed segment(s), {len(report.unbalanced)} unbalanced bracket(s)"
        )


@dataclass(frozen=True, slots=True)
class AgreementTally:
    """Agreement progress over a set of paragraphs (a section, a revision)."""

    paragraphs: int
    by_status: dict[ParagraphStatus, int]
    bracketed_segments: int
    bracketed_chars: int
    total_chars: int

    @property
    def agreed_share(self) -> float:
        """Share of paragraphs agreed or agreed ad ref."""
        settled = sum(self.by_status.get(status, 0) for status in _SETTLED)
        return settled / self.paragraphs if self.paragraphs else 0.0

    @property
    def bracketed_share(self) -> float:
        """Share of characters inside brackets."""
        return self.bracketed_chars / self.total_chars if self.total_chars else 0.0


def tally(
    paragraphs: Iterable[tuple[str, ParagraphStatus]], crossed: Sequence[bool] | None = None
) -> AgreementTally:
    """Count paragraphs by status, bracketed segments and characters, over (text, declared status).

    A bracket that runs over several paragraphs (`crossed[i]`, from `inside_crossing`) is a bracketed
    segment of every paragraph it covers, and the characters it encloses in each are bracketed."""
    by_status = {status: 0 for status in ParagraphStatus}
    count = segments = bracketed = total = 0
    for index, (text, declared) in enumerate(paragraphs):
        report = parse_brackets(text)
        inside = bool(crossed and crossed[index])
        by_status[status_of(text, declared, crossed=inside)] += 1
        count += 1
        segments += report.segment_count + (1 if inside else 0)
        bracketed += report.bracketed_chars + (_crossed_chars(text, report) if inside else 0)
        total += len(text)
    return AgreementTally(count, by_status, segments, bracketed, total)


def _crossed_chars(text: str, report: BracketReport) -> int:
    """The characters of a paragraph inside a crossing bracket that its own brackets do not count."""
    opens = [i for i in report.unbalanced if text[i] in _OPENING]
    closes = [i for i in report.unbalanced if text[i] in _CLOSING]
    if not opens and not closes:
        return len(text) - report.bracketed_chars  # a paragraph wholly inside
    # Text after the "[" left open, and before the "]" that closes it, less what own brackets count there.
    after = opens[-1] if opens else len(text)
    before = closes[0] if closes else -1
    own = sum(len(s.inner) for s in report.outermost if s.start > after or s.end <= before)
    return (len(text) - after - 1 if opens else 0) + (before if closes else 0) - own
