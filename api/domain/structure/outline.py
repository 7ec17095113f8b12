"""The outline of a draft: units read from a file become paragraphs with numbers and eIds in context.

A parser (plain text, indented text, Markdown) gives units in reading order, each with the depth its
source gives it (list nesting, indentation; 0 when the source has none). The outline places each unit
under the one it belongs to: paragraph numbers restart in every article ("Art. 3.8"), "(a)" opens a
sub-paragraph, "(i)" an item — or the letter after "(h)", decided by the sibling before it — and an
"Option 1" label holds the units after it until the next option, "{End of options}" or a shallower unit.
"""

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Literal

from api.domain.errors import InvalidInput
from api.domain.structure.ids import EID_MAX, NUMBER_MAX, eid_component, fit, key_for
from api.domain.structure.labels import Label, Style, letter_value, ordinal_value, read_label, roman_value
from api.domain.un_document import FootnoteRef

Kind = Literal["paragraph", "subparagraph", "heading", "unnumbered"]
Role = Literal["part", "section", "article", "heading", "note", "paragraph", "point", "option", "text"]
_HEADING_ROLES = ("part", "section", "article", "heading")
_KINDS: dict[Role, Kind] = {
    "part": "heading",
    "section": "heading",
    "article": "heading",
    "heading": "heading",
    "note": "heading",
    "paragraph": "paragraph",
    "point": "subparagraph",
    "option": "subparagraph",
    "text": "unnumbered",
}
_SECTION_MAX = 64
_HEADING_MAX_CHARS = 120


SpanStyle = Literal["em", "strong"]


@dataclass(frozen=True)
class Span:
    """Formatting kept apart from the text, so that diffs and bracket counts see only the words."""

    start: int
    end: int
    style: SpanStyle


@dataclass(frozen=True)
class Unit:
    """One block as a parser read it: text, depth in the source, heading level, list number if any."""

    text: str
    depth: int = 0
    heading: int = 0  # Markdown heading level; 0 when the source does not mark a heading
    ordinal: str | None = None  # the number the source's ordered list gives the item, as it renders
    ordinal_style: Style = "arabic"  # "letter" for an "(a)" a nested list renders, "roman" for "(i)"
    spans: tuple[Span, ...] = ()
    footnotes: tuple[FootnoteRef, ...] = ()


@dataclass(frozen=True)
class StructuredParagraph:
    """A paragraph placed in the document: key, eId, kind, number as cited, section, text, formatting."""

    key: str
    eid: str
    kind: Kind
    number: str | None
    section: str | None
    text: str
    level: int = 0  # how deep it sits in the outline (0: top)
    spans: tuple[Span, ...] = ()
    footnotes: tuple[FootnoteRef, ...] = ()


@dataclass
class _Frame:
    role: Role
    depth: int
    eid: str
    number: str | None
    style: Style | None = None
    ordinal: int | None = None
    heading_level: int = 0
    article: str | None = None
    counts: Counter[str] = field(default_factory=Counter)
    # An option label alone ("**Option 2:**", "Option 1: {title}") holds the text after it; an option
    # with its own words is one alternative and holds only what is written deeper than it.
    holds_text: bool = True
    # Under a part or article: the last option's place in its sequence (a new "Option 1" starts a new
    # group) and the paragraph its group is cited by ("para. 100, Option 2").
    last_option: int | None = None
    option_anchor: tuple[str, str] | None = None
    anchored: bool = False  # an option cited by the paragraph its group holds, not by its host


def build_outline(units: list[Unit]) -> list[StructuredParagraph]:
    """Place every unit in the outline and name it; InvalidInput if there is nothing to import."""
    units = [unit for unit in units if unit.text.strip()]
    if not units:
        raise InvalidInput("the document holds no paragraphs")
    # A first reading finds the numbers the draft repeats ("Option 1" in every group of options of a
    # part); the second cites those in the context that tells them apart.
    first = _Outline(units, frozenset())
    repeated = first.repeated()
    return _Outline(units, repeated).paragraphs if repeated else first.paragraphs


class _Outline:
    def __init__(self, units: list[Unit], repeated: frozenset[str]) -> None:
        self._units = units
        self._repeated = repeated
        self._index = 0
        self.paragraphs: list[StructuredParagraph] = []
        self._stack: list[_Frame] = []
        self._root: Counter[str] = Counter()
        self._eids: set[str] = set()
        self._numbers: Counter[str] = Counter()
        self._section: str | None = None
        for self._index, unit in enumerate(units):
            self.add(unit)

    def repeated(self) -> frozenset[str]:
        """The numbers this reading gave more than once, as first given."""
        return frozenset(number for number, count in self._numbers.items() if count > 1)

    # -- placing -----------------------------------------------------------------------------------

    def add(self, unit: Unit) -> None:
        label = _label_of(unit)
        role = self._role(unit, label)
        if label is not None and role == "paragraph" and self._article_mismatch(label):
            label, role = None, "text"
        if label is not None and role == "article" and self._reopens_article(label):
            # "Article 3ter" again over its next options: a title inside the article, not a second one.
            while self._stack[-1].role != "article":
                self._stack.pop()
            label, role = None, "note"
        # The style is read against the siblings before any of them closes: "(ii)" continues "(i)".
        style = self._style_of(label, unit.depth) if label is not None and role == "point" else None
        if label is not None and label.kind == "end_options":
            self._close_options()
        if role in _HEADING_ROLES:
            self._close_for_heading(role, unit.heading)
        elif role != "note":
            self._close_for(role, label, style, unit.depth)
        if role == "paragraph" and self._nested_list_item(label):
            role, style = "point", "arabic"
        frame = self._frame(role, label, style, unit)
        text, spans, footnotes = _strip_label(unit, label, role)
        frame.holds_text = role != "option" or text == unit.text or _is_note(text)
        if role in _HEADING_ROLES:
            self._section = " ".join(filter(None, (frame.number, text)))[:_SECTION_MAX]
        self._emit(frame, role, text, spans, footnotes)
        # Unlabelled headings ("Preamble") and notes are cross-headings: they name no container.
        if role not in ("note", "heading"):
            self._stack.append(frame)

    def _role(self, unit: Unit, label: Label | None) -> Role:
        if label is None:
            if unit.heading:
                return "heading"
            return "note" if _is_note(unit.text) else "text"
        if label.kind in ("part", "section", "article"):
            return label.kind if unit.heading or _looks_like_heading(unit.text) else "text"
        if label.kind == "end_options":
            return "note"
        return label.kind

    def _close_for_heading(self, role: Role, level: int) -> None:
        """A heading closes what it cannot sit in: a part closes everything, an article other articles."""
        keeps: dict[Role, tuple[Role, ...]] = {
            "part": (),
            "section": ("part",),
            "article": ("part", "section"),
        }
        keep = keeps.get(role, ("part", "section", "article"))
        while self._stack:
            top = self._stack[-1]
            if top.role in keep and not (role == "heading" and level and top.heading_level >= level):
                return
            self._stack.pop()

    def _close_for(self, role: Role, label: Label | None, style: Style | None, depth: int) -> None:
        """Close the units this one follows rather than sits in, by depth first, then by style."""
        while self._stack:
            top = self._stack[-1]
            if top.role in _HEADING_ROLES or top.depth < depth:
                return
            if top.depth == depth and not self._closes_sibling(top, role, style, depth):
                return
            self._stack.pop()

    def _close_options(self) -> None:
        """ "{End of options}" closes the innermost option and everything inside it."""
        if any(frame.role == "option" for frame in self._stack):
            while self._stack.pop().role != "option":
                pass

    def _closes_sibling(self, top: _Frame, role: Role, style: Style | None, depth: int) -> bool:
        """Whether a unit at the same depth as `top` ends it (True) or sits inside it (False)."""
        if top.role == "option":
            return role in ("option", "note") or (role == "text" and not top.holds_text)
        if role != "point":
            return True
        if top.role == "point" and top.style == style:
            return True
        # "(b)" after "(ii)": the letter list below the items goes on, so the items close.
        return top.role == "point" and any(
            frame.role == "point" and frame.style == style and frame.depth == depth
            for frame in self._stack[:-1]
        )

    def _style_of(self, label: Label, depth: int) -> Style:
        """The style of a point label; "(i)" continues "(h)" as a letter, else it opens items."""
        if len(label.styles) == 1:
            return label.styles[0]
        for frame in reversed(self._stack):
            if frame.role in _HEADING_ROLES or frame.depth < depth:
                break
            if frame.depth > depth or frame.role != "point" or frame.style not in label.styles:
                continue
            assert frame.style is not None and frame.ordinal is not None
            if ordinal_value(label.value, frame.style) == frame.ordinal + 1:
                return frame.style
        return "roman" if roman_value(label.value) == 1 or letter_value(label.value) is None else "letter"

    def _article_mismatch(self, label: Label) -> bool:
        """ "3.3" opens paragraph 3 only inside Article 3; elsewhere it is text ("1.5 million …")."""
        if label.article is None:
            return False
        article = next((f.article for f in reversed(self._stack) if f.role == "article"), None)
        return article != label.article

    def _reopens_article(self, label: Label) -> bool:
        """Whether an article heading names the article already open (a draft repeats it over options)."""
        article = next((f for f in reversed(self._stack) if f.role == "article"), None)
        return article is not None and article.article == label.value

    def _nested_list_item(self, label: Label | None) -> bool:
        """A numbered item inside a paragraph is a point of it ("3.8(1)"), not a paragraph of its own."""
        if label is None or label.article is not None:
            return False
        return any(frame.role in ("paragraph", "point") for frame in self._stack)

    # -- naming ------------------------------------------------------------------------------------

    def _frame(self, role: Role, label: Label | None, style: Style | None, unit: Unit) -> _Frame:
        parent = self._stack[-1] if self._stack and role not in ("note", "heading") else None
        anchor = self._option_anchor(label, parent) if role == "option" and label else None
        component = self._component(role, label, parent)
        if anchor is not None:
            component = f"{eid_component('para', anchor[1])}__{component}"
        eid = self._unique_eid(f"{parent.eid}__{component}" if parent else component)
        if label and role == "paragraph":
            style = "arabic"
        ordinal = ordinal_value(label.value, style) if label and style else None
        number = self._number(role, label, parent, anchor[0] if anchor else None)
        article = label.value if role == "article" and label else parent.article if parent else None
        frame = _Frame(role, unit.depth, eid, number, style, ordinal, unit.heading, article)
        frame.anchored = anchor is not None
        return frame

    def _option_anchor(self, label: Label, parent: _Frame | None) -> tuple[str, str] | None:
        """The paragraph (number, label) a group of options under a part or article is cited by.

        A part that holds several groups of options repeats "Option 1" in each; negotiators tell them
        apart by the paragraphs they hold ("para. 100, Option 2"). A group starts at "Option 1"
        ("Option A", "Option I"); it is cited by the first paragraph written after its first option.
        """
        if parent is None or parent.role not in _HEADING_ROLES:
            return None
        ordinal = _option_ordinal(label.value)
        same_group = parent.last_option is not None and ordinal != 1
        parent.last_option = ordinal or 0
        if not same_group:
            parent.option_anchor = self._next_paragraph(parent)
        # Only a number the draft repeats needs the anchor: "IX, Option 4" alone is cited as before.
        return parent.option_anchor if f"{parent.number}, {_option_name(label)}" in self._repeated else None

    def _next_paragraph(self, host: _Frame) -> tuple[str, str] | None:
        """The number and label of the first paragraph after the current unit, before the next heading."""
        for unit in self._units[self._index + 1 :]:
            label = _label_of(unit)
            if label is None:
                continue
            if label.kind in ("part", "section", "article"):
                if unit.heading or _looks_like_heading(unit.text):
                    return None
            elif label.kind == "paragraph" and label.article in (None, host.article):
                own = f"{host.article}.{label.value}" if host.article else label.value
                return own, label.value
        return None

    def _component(self, role: Role, label: Label | None, parent: _Frame | None) -> str:
        counts = parent.counts if parent and role not in _HEADING_ROLES else self._root
        names = {"part": "chp", "section": "sec", "article": "art", "paragraph": "para", "point": "point"}
        if label is not None and role in names:
            return eid_component(names[role], label.value)
        if label is not None and role == "option":
            return eid_component("opt", label.value)
        name = {"heading": "sec", "note": "crossHeading"}.get(role, "p")
        counts[name] += 1
        return f"{name}_{counts[name]}"

    def _unique_eid(self, eid: str) -> str:
        candidate, n = fit(eid, EID_MAX), 1
        while candidate in self._eids:
            n += 1
            candidate = fit(f"{eid}_{n}", EID_MAX)
        self._eids.add(candidate)
        return candidate

    def _number(
        self, role: Role, label: Label | None, parent: _Frame | None, anchor: str | None = None
    ) -> str | None:
        if label is None or role in ("text", "note", "heading"):
            return None
        host = f"{anchor}," if anchor else self._host_number()
        if role == "part":
            number = label.value
        elif role == "section":
            part = next((f.number for f in reversed(self._stack) if f.role == "part"), None)
            number = f"{part}.{label.value}" if part else label.value
        elif role == "article":
            number = f"Article {label.value}"
        elif role == "option":
            option = _option_name(label)
            number = f"{host} {option}" if host else option
        elif role == "point":
            number = f"{host or ''}({label.value})"
        else:
            number = self._paragraph_number(label, parent)
        return self._unique_number(number)

    def _paragraph_number(self, label: Label, parent: _Frame | None) -> str:
        article = next((f.article for f in reversed(self._stack) if f.role == "article"), None)
        own = f"{article}.{label.value}" if article else label.value
        # "3.3bis" written inside Option 2 of paragraph 3.3 is cited with the option it belongs to.
        if parent is None or parent.role != "option" or not parent.number:
            return own
        if not parent.anchored and not parent.number[0].isalpha():
            return f"{parent.number}: {own}"
        # "6.1" in Option 1 and again in Option 2 of Article 6: each is cited with its option.
        if own in self._repeated:
            return f"{parent.number.rsplit(', ', 1)[-1]}: {own}"
        return own

    def _host_number(self) -> str | None:
        """The number of the nearest numbered unit above: what an option or point is cited from."""
        for frame in reversed(self._stack):
            if frame.number is not None:
                # "3.1 Option 2" under a paragraph; "Article 5, Option 1" and "II, Option 1" under headings.
                return frame.number + "," if frame.role in _HEADING_ROLES else frame.number
        return None

    def _unique_number(self, number: str) -> str:
        # The same number twice (a draft repeats "12." under two options): the second says which it is.
        self._numbers[number] += 1
        count = self._numbers[number]
        return fit(number if count == 1 else f"{number} #{count}", NUMBER_MAX)

    def _emit(
        self,
        frame: _Frame,
        role: Role,
        text: str,
        spans: tuple[Span, ...],
        footnotes: tuple[FootnoteRef, ...],
    ) -> None:
        level = sum(1 for f in self._stack if f.role not in _HEADING_ROLES)
        self.paragraphs.append(
            StructuredParagraph(
                key=key_for(frame.eid),
                eid=frame.eid,
                kind=_KINDS[role],
                number=frame.number,
                section=self._section,
                text=text,
                level=level,
                spans=spans,
                footnotes=footnotes,
            )
        )


def _option_name(label: Label) -> str:
    """ "Option 2", "Option A", "Alt", "Alt1": an option's label as the draft writes it."""
    return "Alt" + label.value[3:] if label.value.startswith("alt") else f"Option {label.value}"


def _option_ordinal(value: str) -> int | None:
    """An option's place in its sequence: "2" → 2, "B" → 2, "II" → 2; None for "alt"."""
    if value.isdigit():
        return int(value)
    if len(value) == 1 and value.isupper() and value not in "IVX":
        return letter_value(value.lower())
    return roman_value(value) if value.isupper() else None


def _label_of(unit: Unit) -> Label | None:
    if unit.ordinal and unit.ordinal_style != "arabic":
        return Label("point", (unit.ordinal_style,), unit.ordinal, 0)
    if unit.ordinal:
        return Label("paragraph", ("arabic",), unit.ordinal, 0)
    return read_label(unit.text)


def _is_note(text: str) -> bool:
    """A braced line such as "{Tracking arrangements}": a note between units, closing none of them."""
    stripped = text.strip()
    return stripped.startswith("{") and stripped.endswith("}") and "\n" not in stripped


def _looks_like_heading(text: str) -> bool:
    return len(text) <= _HEADING_MAX_CHARS and text.rstrip()[-1:] not in (".", ";", ",", ":")


def _strip_label(
    unit: Unit, label: Label | None, role: Role
) -> tuple[str, tuple[Span, ...], tuple[FootnoteRef, ...]]:
    """The unit's text without the label its number now carries (kept when nothing else is left)."""
    if label is None or label.length == 0 or role in ("text", "note", "heading"):
        return unit.text, unit.spans, unit.footnotes
    rest = unit.text[label.length :]
    cut = label.length + len(rest) - len(rest.lstrip())
    if not unit.text[cut:].strip():
        return unit.text, unit.spans, unit.footnotes
    spans = tuple(Span(max(s.start - cut, 0), s.end - cut, s.style) for s in unit.spans if s.end - cut > 0)
    footnotes = tuple(replace(f, offset=max(f.offset - cut, 0)) for f in unit.footnotes)
    return unit.text[cut:], tuple(s for s in spans if s.end > s.start), footnotes
