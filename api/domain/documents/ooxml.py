"""Word documents in UN layout, with real tracked changes (w:ins / w:del) written as OOXML.

python-docx builds the package, the styles and the tables; the runs, the tracked changes, the paragraph
marks and the footnotes part are written here with lxml, since python-docx has no API for them.
"""

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor, Twips
from docx.text.paragraph import Paragraph
from lxml import etree

from api.domain.documents.model import Header, Para, Revision, number_label, tag_text
from api.domain.documents.tracked import Change, Piece, TrackedParagraph
from api.domain.text import parse_brackets

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
LATIN_FONT = "Times New Roman"
A4_TWIPS = (11906, 16838)
# Set where the reader has it (Debian's fonts-noto-cjk); Word falls back to its own East Asian font.
CJK_FONT = "Noto Serif CJK SC"
# Paragraphs not yet agreed are shaded, so a printed text shows at a glance what is still open.
STATUS_SHADE = {"bracketed": "FFF2CC", "agreed_ad_ref": "DEEAF6"}
HANGING = {"paragraph": Mm(10), "subparagraph": Mm(10), "unnumbered": Mm(0), "heading": Mm(0)}
INDENT = {"paragraph": Mm(10), "subparagraph": Mm(20), "unnumbered": Mm(0), "heading": Mm(0)}


@dataclass(frozen=True)
class CompilationRow:
    """One proposal of the compilation text, on the paragraph it amends."""

    paragraph: str
    paragraph_text: str
    proposal: str
    redline: tuple[Piece, ...]
    sponsor: str
    cosponsors: str
    justification: str
    ruling: str


def revision_docx(revision: Revision) -> bytes:
    """A revision in UN layout: masthead, numbered paragraphs, footnotes, brackets, statuses and elements."""
    writer = _Writer(revision.header)
    writer.masthead(revision.header.label)
    for para in revision.paragraphs:
        paragraph = writer.paragraph(para)
        writer.text_runs(paragraph, para)
        writer.footnote_refs(paragraph, para)
        writer.tags(paragraph, para)
    return writer.save()


def redline_docx(
    old: Header, new: Header, paragraphs: Sequence[TrackedParagraph], tracked: bool = True
) -> bytes:
    """The redline from one revision to another as real tracked changes, one author per change.

    With tracked=False it is the same text for printing: deletions struck, insertions bold and underlined.
    """
    writer = _Writer(new)
    writer.masthead(f"{new.label} — changes since {old.label}", tracked=tracked)
    for each in paragraphs:
        paragraph = writer.paragraph(each.para, bookmark=False)
        for piece in each.pieces:
            if tracked:
                writer.piece(paragraph, piece)
            else:
                writer.styled_piece(paragraph, piece)
        if tracked:
            writer.mark(paragraph, each.mark, each.mark_change)
    return writer.save()


def compilation_docx(header: Header, rows: Sequence[CompilationRow]) -> bytes:
    """The compilation text as a table: paragraph | proposal with redline and sponsors | ruling."""
    writer = _Writer(header, landscape=True)
    writer.masthead(f"Compilation text of proposals on {header.label}")
    table = writer.document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, ("Paragraph", "Proposal", "Ruling"), strict=True):
        cell.paragraphs[0].add_run(title).bold = True
    _repeat_header(table.rows[0]._tr)
    for row in rows:
        cells = table.add_row().cells
        first = cells[0].paragraphs[0]
        first.add_run(row.paragraph).bold = True
        cells[0].add_paragraph(row.paragraph_text)
        top = cells[1].paragraphs[0]
        top.add_run(row.proposal).bold = True
        body = cells[1].add_paragraph()
        for piece in row.redline:
            writer.styled_piece(body, piece)
        for label, value in (("Sponsor", row.sponsor), ("Co-sponsors", row.cosponsors)):
            line = cells[1].add_paragraph()
            line.add_run(f"{label}: ").italic = True
            line.add_run(value or "—")
        if row.justification:
            line = cells[1].add_paragraph()
            line.add_run("Justification: ").italic = True
            line.add_run(row.justification)
        cells[2].paragraphs[0].add_run(row.ruling or "Not yet ruled")
    if not rows:
        writer.document.add_paragraph("No proposals have been tabled on this revision.")
    return writer.save()


def _repeat_header(tr: etree._Element) -> None:
    # The column titles repeat at the top of every printed page.
    tr_pr = tr.find(qn("w:trPr"))
    if tr_pr is None:
        tr_pr = etree.SubElement(tr, qn("w:trPr"))
        tr.insert(0, tr_pr)
    etree.SubElement(tr_pr, qn("w:tblHeader"))


class _Writer:
    """Builds one document: styles and page, masthead, paragraphs, runs, tracked changes, footnotes."""

    def __init__(self, header: Header, landscape: bool = False) -> None:
        self.header = header
        self.document: Document = docx.Document()
        self.change_id = 0
        self.footnotes: list[etree._Element] = []
        self.cjk = header.language.startswith("zh")
        self._page(landscape)
        self._styles()

    def _page(self, landscape: bool) -> None:
        section = self.document.sections[0]
        width, height = Twips(A4_TWIPS[0]), Twips(A4_TWIPS[1])  # A4 as Word writes it
        section.page_width, section.page_height = (height, width) if landscape else (width, height)
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
        section.left_margin = section.right_margin = Mm(25)
        section.top_margin = section.bottom_margin = Mm(25)
        head = section.header.paragraphs[0]
        head.add_run(self.header.symbol or self.header.title).bold = True
        head.add_run(f"\t\t{self.header.label}")
        foot = section.footer.paragraphs[0]
        foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_number(foot)

    def _styles(self) -> None:
        normal = self.document.styles["Normal"]
        normal.font.name = LATIN_FONT
        normal.font.size = Pt(12 if self.cjk else 10)
        r_pr = normal.element.get_or_add_rPr()
        fonts = r_pr.find(qn("w:rFonts"))
        assert fonts is not None
        fonts.set(qn("w:eastAsia"), CJK_FONT)
        lang = etree.SubElement(r_pr, qn("w:lang"))
        lang.set(qn("w:val"), "en-GB")
        lang.set(qn("w:eastAsia"), "zh-CN" if self.cjk else "en-GB")
        for name in ("Heading 1", "Title"):
            style = self.document.styles[name]
            style.font.color.rgb = RGBColor(0, 0, 0)
            style.font.name = LATIN_FONT
            fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
            fonts.set(qn("w:eastAsia"), CJK_FONT)

    def masthead(self, subtitle: str, tracked: bool = False) -> None:
        """The UN masthead: organ and symbol, distribution, date, language, title."""
        header = self.header
        top = self.document.add_paragraph()
        top.add_run("United Nations").bold = True
        top.add_run("\t")
        symbol = top.add_run(header.symbol or header.process.upper())
        symbol.bold, symbol.font.size = True, Pt(16)
        _right_tab(top)
        for line in (
            f"Distr.: {header.distribution}",
            header.date
            or (header.published_at.date().isoformat() if header.published_at else "Not published"),
            f"Original: {'Chinese' if self.cjk else 'English'}",
        ):
            self.document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
        self.document.add_paragraph(header.title, style="Title")
        sub = self.document.add_paragraph()
        sub.add_run(subtitle).bold = True
        if tracked:
            note = "Changes are tracked: Word and LibreOffice show who proposed each; accept or reject there."
            self.document.add_paragraph(note).runs[0].italic = True

    def paragraph(self, para: Para, bookmark: bool = True) -> Paragraph:
        """An empty paragraph styled for its kind, status and number."""
        paragraph = self.document.add_paragraph(style="Heading 1" if para.kind == "heading" else None)
        # Shading first: python-docx then puts spacing, indents and alignment after it, in schema order.
        if para.status in STATUS_SHADE:
            _shade(paragraph, STATUS_SHADE[para.status])
        if para.kind != "heading":
            fmt = paragraph.paragraph_format
            fmt.left_indent = INDENT.get(para.kind, Mm(0))
            fmt.first_line_indent = -HANGING.get(para.kind, Mm(0)) if number_label(para) else None
            fmt.space_after = Pt(6)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if bookmark:
            _bookmark(paragraph, para.eid, self._next_id())
        return paragraph

    def text_runs(self, paragraph: Paragraph, para: Para) -> None:
        """The number and the text, with bracketed stretches marked in bold, emphasis in italics."""
        label = number_label(para)
        if label:
            self.plain(paragraph, label + "\t", bold=para.kind == "heading")
        bracketed = [(s.start, s.end) for s in parse_brackets(para.text).outermost]
        spans = [(start, end, kind) for start, end, kind in para.formatting if kind in ("em", "strong")]
        cuts = sorted(
            {0, len(para.text), *(i for pair in bracketed for i in pair)}
            | {i for start, end, _kind in spans for i in (start, end) if 0 <= i <= len(para.text)}
        )
        for start, end in itertools.pairwise(cuts):
            kinds = {kind for s, e, kind in spans if s <= start and end <= e}
            bold = "strong" in kinds or any(s <= start and end <= e for s, e in bracketed)
            self.plain(paragraph, para.text[start:end], bold=bold, italic="em" in kinds)

    def plain(self, paragraph: Paragraph, text: str, bold: bool = False, italic: bool = False) -> None:
        """An untracked run."""
        if text:
            run = _run(text, "w:t")
            if bold:
                _r_pr(run).append(etree.Element(qn("w:b")))
            if italic:
                _r_pr(run).append(etree.Element(qn("w:i")))
            _el(paragraph._p).append(run)

    def piece(self, paragraph: Paragraph, piece: Piece) -> None:
        """A run of the redline: kept, or inside w:ins / w:del with its author and date."""
        run = self._piece_run(piece, "w:delText" if piece.kind == "delete" else "w:t")
        if piece.kind == "equal" or piece.change is None:
            _el(paragraph._p).append(run)
            return
        wrapper = self._change_element("w:ins" if piece.kind == "insert" else "w:del", piece.change)
        wrapper.append(run)
        _el(paragraph._p).append(wrapper)

    def styled_piece(self, paragraph: Paragraph, piece: Piece) -> None:
        """A redline run shown (not tracked) in UN style: deletions struck, insertions underlined and bold."""
        run = self._piece_run(piece, "w:t")
        if piece.kind == "delete":
            _r_pr(run).append(etree.Element(qn("w:strike")))
        elif piece.kind == "insert":
            props = _r_pr(run)
            props.append(etree.Element(qn("w:b")))
            underline = etree.SubElement(props, qn("w:u"))
            underline.set(qn("w:val"), "single")
        _el(paragraph._p).append(run)

    def _piece_run(self, piece: Piece, text_tag: str) -> etree._Element:
        """The run for a piece: text, a grey status tag, or a footnote reference (its note written too)."""
        if piece.role == "tag":
            return _tag_run(piece.text, text_tag)
        if piece.role == "note":
            return self._note_reference(piece.text)
        return _run(piece.text, text_tag)

    def mark(self, paragraph: Paragraph, kind: str, change: Change | None) -> None:
        """Track the paragraph mark itself: inserted for a new paragraph, deleted when two are joined."""
        if kind == "equal" or change is None:
            return
        p_pr = _el(paragraph._p.get_or_add_pPr())
        r_pr = p_pr.find(qn("w:rPr"))
        if r_pr is None:
            r_pr = etree.SubElement(p_pr, qn("w:rPr"))
        r_pr.append(self._change_element("w:ins" if kind == "insert" else "w:del", change))

    def footnote_refs(self, paragraph: Paragraph, para: Para) -> None:
        """Real Word footnotes for the paragraph's notes, referenced at its end."""
        for note in para.footnotes:
            _el(paragraph._p).append(self._note_reference(note.text))

    def _note_reference(self, text: str) -> etree._Element:
        """A superscript footnote reference run, its footnote added to the notes part."""
        number = len(self.footnotes) + 1
        run = etree.Element(qn("w:r"))
        _superscript(run)
        ref = etree.SubElement(run, qn("w:footnoteReference"))
        ref.set(qn("w:id"), str(number))
        self.footnotes.append(_footnote(number, text))
        return run

    def tags(self, paragraph: Paragraph, para: Para) -> None:
        """Status and mandate elements in a small grey run after the text (Word shows no side column)."""
        if tag_text(para):
            _el(paragraph._p).append(_tag_run(tag_text(para), "w:t"))

    def _change_element(self, tag: str, change: Change) -> etree._Element:
        element = etree.Element(qn(tag))
        element.set(qn("w:id"), str(self._next_id()))
        element.set(qn("w:author"), change.author)
        element.set(qn("w:date"), _w_date(change.date))
        return element

    def _next_id(self) -> int:
        self.change_id += 1
        return self.change_id

    def save(self) -> bytes:
        """The finished .docx file."""
        if self.footnotes:
            self._footnotes_part()
        core = self.document.core_properties
        core.title = self.header.title
        core.subject = self.header.label
        core.author = self.header.author
        if self.header.published_at:
            core.created = self.header.published_at
        buffer = BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()

    def _footnotes_part(self) -> None:
        root = etree.Element(qn("w:footnotes"), nsmap={"w": W})
        for number, kind in ((-1, "separator"), (0, "continuationSeparator")):
            note = etree.SubElement(root, qn("w:footnote"))
            note.set(qn("w:type"), kind)
            note.set(qn("w:id"), str(number))
            run = etree.SubElement(etree.SubElement(note, qn("w:p")), qn("w:r"))
            etree.SubElement(run, qn("w:" + ("separator" if number < 0 else "continuationSeparator")))
        root.extend(self.footnotes)
        blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        main = self.document.part
        part = Part(PackURI("/word/footnotes.xml"), CONTENT_TYPE.WML_FOOTNOTES, blob, main.package)
        main.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)


def _el(element: object) -> etree._Element:
    """python-docx's element classes as plain lxml elements, for the XML it has no API for."""
    assert isinstance(element, etree._Element)
    return element


def _w_date(moment: datetime) -> str:
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _run(text: str, text_tag: str) -> etree._Element:
    """A w:r whose text is split at tabs into w:t (or w:delText) and w:tab."""
    run = etree.Element(qn("w:r"))
    for index, part in enumerate(text.split("\t")):
        if index:
            etree.SubElement(run, qn("w:tab"))
        if part:
            node = etree.SubElement(run, qn(text_tag))
            node.text = part
            node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


def _tag_run(text: str, text_tag: str) -> etree._Element:
    """A run of the status tag: small and grey, apart from the paragraph's text."""
    run = _run(text, text_tag)
    props = _r_pr(run)
    color = etree.SubElement(props, qn("w:color"))
    color.set(qn("w:val"), "808080")
    size = etree.SubElement(props, qn("w:sz"))
    size.set(qn("w:val"), "16")
    return run


def _r_pr(run: etree._Element) -> etree._Element:
    props = run.find(qn("w:rPr"))
    if props is None:
        props = etree.Element(qn("w:rPr"))
        run.insert(0, props)
    return props


def _superscript(run: etree._Element) -> None:
    align = etree.SubElement(_r_pr(run), qn("w:vertAlign"))
    align.set(qn("w:val"), "superscript")


def _footnote(number: int, text: str) -> etree._Element:
    note = etree.Element(qn("w:footnote"))
    note.set(qn("w:id"), str(number))
    paragraph = etree.SubElement(note, qn("w:p"))
    mark = etree.SubElement(paragraph, qn("w:r"))
    _superscript(mark)
    etree.SubElement(mark, qn("w:footnoteRef"))
    paragraph.append(_run(" " + text, "w:t"))
    return note


def _page_number(paragraph: Paragraph) -> None:
    """A PAGE field: Word and LibreOffice print the page number there."""
    for kind, instruction in (("begin", None), (None, " PAGE "), ("end", None)):
        run = etree.SubElement(_el(paragraph._p), qn("w:r"))
        if kind:
            etree.SubElement(run, qn("w:fldChar")).set(qn("w:fldCharType"), kind)
        else:
            etree.SubElement(run, qn("w:instrText")).text = instruction


def _right_tab(paragraph: Paragraph) -> None:
    paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(160), WD_TAB_ALIGNMENT.RIGHT)


def _shade(paragraph: Paragraph, fill: str) -> None:
    shading = etree.SubElement(_el(paragraph._p.get_or_add_pPr()), qn("w:shd"))
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), fill)


def _bookmark(paragraph: Paragraph, name: str, number: int) -> None:
    """A bookmark named by the paragraph's eId, so links into the document can cite it."""
    start = etree.SubElement(_el(paragraph._p), qn("w:bookmarkStart"))
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name[:40])
    end = etree.SubElement(_el(paragraph._p), qn("w:bookmarkEnd"))
    end.set(qn("w:id"), str(number))
