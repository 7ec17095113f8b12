"""Reading Word files that users upload: hardened unpacking, paragraphs with numbering, styles and changes.

Hostile files are refused with InvalidInput before anything is parsed: not a ZIP (or an encrypted
document, which is an OLE container), encrypted entries, too many entries, too much unpacked data, too
high a compression ratio (zip bombs), and any DTD (no entities, hence no XXE or billion laughs). Macros
(vbaProject.bin) are never read.
"""

import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from io import BytesIO

from lxml import etree

from api.domain.errors import InvalidInput

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
MAX_ENTRIES = 500
MAX_UNPACKED = 25_000_000
MAX_PART = 10_000_000
MAX_RATIO = 100
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PARTS = (
    "word/document.xml",
    "word/numbering.xml",
    "word/styles.xml",
    "word/comments.xml",
    "docProps/core.xml",
)
_TAG = re.compile(r"\s*\[(?:Open|Bracketed|Agreed ad ref|Agreed)(?: · elements [^\]]*)?\]\s*$")
_NUMBER = re.compile(r"^(?:\(?[0-9A-Za-z]{1,8}(?:bis|ter|quater)?[.)]|[一二三四五六七八九十]+、?)\t")


@dataclass
class WordParagraph:
    """One paragraph of a Word file: its style, automatic number, text before and after its changes."""

    style: str
    level: int | None
    number: str | None
    accepted: str
    rejected: str
    changed: bool
    mark: str = "equal"  # inserted or deleted paragraph mark
    bookmarks: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    authors: set[str] = field(default_factory=set)


@dataclass
class WordFile:
    """The parts of a Word file Accord reads."""

    paragraphs: list[WordParagraph]
    subject: str | None


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def parse_xml(data: bytes, name: str) -> etree._Element:
    """Parse one part; a DTD (where entities live) is refused outright."""
    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
        raise InvalidInput(f"{name}: XML with a DTD or entities is refused")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        raise InvalidInput(f"{name} is not well-formed XML: {error}") from None
    if root.getroottree().docinfo.doctype:
        raise InvalidInput(f"{name}: XML with a DTD is refused")
    return root


def unpack(data: bytes, filename: str = "upload.docx") -> dict[str, bytes]:
    """The parts Accord reads from a .docx, or InvalidInput for anything that is not a safe one."""
    if data.startswith(OLE_MAGIC):
        raise InvalidInput(f"{filename} is encrypted or an old binary .doc; save it as an unprotected .docx")
    try:
        package = zipfile.ZipFile(BytesIO(data))
    except zipfile.BadZipFile:
        raise InvalidInput(f"{filename} is not a Word (.docx) file") from None
    with package:
        entries = package.infolist()
        if len(entries) > MAX_ENTRIES:
            raise InvalidInput(f"{filename} has {len(entries)} parts; at most {MAX_ENTRIES}")
        if any(entry.flag_bits & 0x1 for entry in entries):
            raise InvalidInput(f"{filename} is encrypted; save it without a password")
        declared = sum(entry.file_size for entry in entries)
        if declared > MAX_UNPACKED:
            raise InvalidInput(f"{filename} unpacks to more than {MAX_UNPACKED} bytes")
        names = {entry.filename: entry for entry in entries}
        if "word/document.xml" not in names:
            raise InvalidInput(f"{filename} is not a Word (.docx) file: it has no word/document.xml")
        return {name: _read(package, names[name], filename) for name in PARTS if name in names}


def _read(package: zipfile.ZipFile, entry: zipfile.ZipInfo, filename: str) -> bytes:
    """Read one part, never more than the limits allow, whatever its header claims."""
    limit = min(MAX_PART, max(entry.compress_size, 1) * MAX_RATIO)
    with package.open(entry) as stream:
        content = stream.read(limit + 1)
    if len(content) > limit:
        raise InvalidInput(f"{filename}: {entry.filename} unpacks too far (a zip bomb?)")
    return content


def read_word(data: bytes, filename: str = "upload.docx") -> WordFile:
    """The paragraphs of a .docx with their styles, automatic numbers, tracked changes and comments."""
    parts = unpack(data, filename)
    document = parse_xml(parts["word/document.xml"], "word/document.xml")
    styles = _style_names(parts.get("word/styles.xml"))
    numbering = _Numbering(parts.get("word/numbering.xml"), styles)
    comments = _comments(parts.get("word/comments.xml"))
    body = document.find("w:body", NS)
    if body is None:
        raise InvalidInput(f"{filename}: the document has no body")
    paragraphs = [_paragraph(p, styles, numbering, comments) for p in body.iter(f"{{{W}}}p")]
    return WordFile(paragraphs, _subject(parts.get("docProps/core.xml")))


def _style_names(data: bytes | None) -> dict[str, tuple[str, str | None]]:
    """Style id → (name, numbering id of the style)."""
    if data is None:
        return {}
    found: dict[str, tuple[str, str | None]] = {}
    for style in parse_xml(data, "word/styles.xml").iterfind("w:style", NS):
        name = style.find("w:name", NS)
        num = style.find("w:pPr/w:numPr/w:numId", NS)
        style_id = style.get(f"{{{W}}}styleId") or ""
        found[style_id] = (
            name.get(f"{{{W}}}val", style_id) if name is not None else style_id,
            num.get(f"{{{W}}}val") if num is not None else None,
        )
    return found


class _Numbering:
    """Word's automatic numbering: counters per list and level, formatted as the list's lvlText says."""

    def __init__(self, data: bytes | None, styles: dict[str, tuple[str, str | None]]) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, dict[int, int]] = defaultdict(dict)
        self.styles = styles
        if data is None:
            return
        root = parse_xml(data, "word/numbering.xml")
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for node in root.iterfind("w:abstractNum", NS):
            levels = {}
            for level in node.iterfind("w:lvl", NS):
                fmt = level.find("w:numFmt", NS)
                text = level.find("w:lvlText", NS)
                start = level.find("w:start", NS)
                levels[int(level.get(f"{{{W}}}ilvl", "0"))] = (
                    fmt.get(f"{{{W}}}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{{{W}}}val", "") if text is not None else "",
                    int(start.get(f"{{{W}}}val", "1")) if start is not None else 1,
                )
            abstract[node.get(f"{{{W}}}abstractNumId", "")] = levels
        for num in root.iterfind("w:num", NS):
            ref = num.find("w:abstractNumId", NS)
            if ref is not None:
                self.levels[num.get(f"{{{W}}}numId", "")] = abstract.get(ref.get(f"{{{W}}}val", ""), {})

    def next(self, num_id: str | None, level: int) -> str | None:
        """The number Word shows for the next paragraph of this list at this level."""
        if not num_id or num_id not in self.levels or level not in self.levels[num_id]:
            return None
        counters = self.counters[num_id]
        fmt, text, start = self.levels[num_id][level]
        counters[level] = counters.get(level, start - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        if fmt == "bullet":
            return None
        label = text
        for index in range(level + 1):
            value = counters.get(index, self.levels[num_id].get(index, ("decimal", "", 1))[2])
            index_fmt = self.levels[num_id].get(index, ("decimal", "", 1))[0]
            label = label.replace(f"%{index + 1}", _format(value, index_fmt))
        return label.strip() or None


def _format(value: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return chr(ord("a") + (value - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (value - 1) % 26)
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    return str(value)


def _roman(value: int) -> str:
    digits = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L")]
    digits += [(40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    result = ""
    for number, letters in digits:
        while value >= number:
            result, value = result + letters, value - number
    return result


def _comments(data: bytes | None) -> dict[str, str]:
    if data is None:
        return {}
    return {
        c.get(f"{{{W}}}id", ""): " ".join(
            "".join(p.itertext()).strip() for p in c.iterfind("w:p", NS)
        ).strip()
        for c in parse_xml(data, "word/comments.xml").iterfind("w:comment", NS)
    }


def _subject(data: bytes | None) -> str | None:
    if data is None:
        return None
    subject = parse_xml(data, "docProps/core.xml").find("{http://purl.org/dc/elements/1.1/}subject")
    return subject.text.strip() if subject is not None and subject.text else None


def _paragraph(
    p: etree._Element,
    styles: dict[str, tuple[str, str | None]],
    numbering: _Numbering,
    comments: dict[str, str],
) -> WordParagraph:
    style_node = p.find("w:pPr/w:pStyle", NS)
    style_id = style_node.get(f"{{{W}}}val", "") if style_node is not None else ""
    style, style_num = styles.get(style_id, (style_id, None))
    num_id_node = p.find("w:pPr/w:numPr/w:numId", NS)
    level_node = p.find("w:pPr/w:numPr/w:ilvl", NS)
    num_id = num_id_node.get(f"{{{W}}}val") if num_id_node is not None else style_num
    level = int(level_node.get(f"{{{W}}}val", "0")) if level_node is not None else 0
    number = numbering.next(num_id, level) if num_id and num_id != "0" else None
    accepted: list[str] = []
    rejected: list[str] = []
    authors: set[str] = set()
    for run in p.iter(f"{{{W}}}r"):
        inside = {etree.QName(a).localname for a in run.iterancestors() if a is not p}
        text = _run_text(run)
        changes = ("ins", "del", "moveTo", "moveFrom")
        change = next((a for a in run.iterancestors() if etree.QName(a).localname in changes), None)
        if change is not None:
            authors.add(change.get(f"{{{W}}}author", ""))
        if not inside & {"del", "moveFrom"}:
            accepted.append(text)
        if not inside & {"ins", "moveTo"}:
            rejected.append(text)
    mark = "equal"
    for node in p.iterfind("w:pPr/w:rPr/*", NS):
        if etree.QName(node).localname in ("ins", "del"):
            mark = "insert" if etree.QName(node).localname == "ins" else "delete"
            authors.add(node.get(f"{{{W}}}author", ""))
    ids = [c.get(f"{{{W}}}id", "") for c in p.iter(f"{{{W}}}commentRangeStart", f"{{{W}}}commentReference")]
    return WordParagraph(
        style=style,
        level=level if num_id else None,
        number=number,
        accepted="".join(accepted),
        rejected="".join(rejected),
        changed=bool(authors),
        mark=mark,
        bookmarks=[b.get(f"{{{W}}}name", "") for b in p.iter(f"{{{W}}}bookmarkStart")],
        comments=list(dict.fromkeys(comments[i] for i in ids if comments.get(i))),
        authors=authors - {""},
    )


def _run_text(run: etree._Element) -> str:
    parts = []
    for node in run:
        name = etree.QName(node).localname
        if name in ("t", "delText"):
            parts.append(node.text or "")
        elif name == "tab":
            parts.append("\t")
        elif name in ("br", "cr"):
            parts.append(" ")
    return "".join(parts)


def body_text(text: str) -> str:
    """A paragraph's own text: without a typed number before a tab, or the status tag Accord exports."""
    return _TAG.sub("", _NUMBER.sub("", text, count=1)).strip()


def draft_text(word: WordFile) -> str:
    """The file as the plain draft format imports read: headings as '# ', automatic numbers written out."""
    blocks = []
    for paragraph in word.paragraphs:
        text = body_text(paragraph.accepted) if paragraph.number else _TAG.sub("", paragraph.accepted).strip()
        if not text:
            continue
        if paragraph.style.lower().startswith(("heading", "title")):
            blocks.append(f"# {text}")
        elif paragraph.number:
            number = paragraph.number
            blocks.append(f"{number} {text}" if number.endswith((".", ")")) else f"{number}. {text}")
        else:
            blocks.append(text.replace("\t", " "))
    return "\n\n".join(blocks) + "\n"
