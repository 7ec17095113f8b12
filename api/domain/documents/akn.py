"""Akoma Ntoso 3.0 following AKN4UN: a revision as a resolution draft, proposals as amendments.

IRIs: /akn/un/statement/deliberation/{author}/{date}/{number}/{lang}@{version}/!main, where the author is
the process, the date the first revision's, the number the process's slug and the version the revision's
label as a slug ("rev.2"); paragraph eIds and wIds come from the structure.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from lxml import etree

from api.domain.documents.model import Header, Para, Revision, number_label
from api.domain.text import parse_brackets

AKN = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
LANGUAGES = {"zh": "zho", "en": "eng", "fr": "fra", "es": "spa", "ru": "rus", "ar": "ara"}
SOURCE = "#accord"


@dataclass(frozen=True)
class Work:
    """Where a document sits in the AKN4UN naming: author, work date and number."""

    author: str
    date: str
    number: str


@dataclass(frozen=True)
class Amendment:
    """A proposal as an amendment: what it does to which paragraph, its redline and its reasons."""

    number: str
    action: str
    paragraph_eid: str
    paragraph_label: str
    redline: tuple[tuple[str, str], ...]
    sponsor: str
    cosponsors: tuple[str, ...]
    justification: str
    date: str
    ruling: str = ""


def version_of(label: str) -> str:
    """A revision label as the version part of an IRI: "Rev.2" → "rev.2", "Zero draft" → "zero-draft"."""
    slug = re.sub(r"[^\w.]+", "-", label.strip().lower()).strip("-")
    return slug or "draft"


def expression_iri(work: Work, header: Header) -> str:
    """The IRI of a revision (an expression of the work), without the component."""
    language = LANGUAGES.get(header.language[:2], header.language)
    return f"{work_iri(work)}/{language}@{version_of(header.label)}"


def work_iri(work: Work) -> str:
    """The IRI of the negotiated text across its revisions."""
    return f"/akn/un/statement/deliberation/{work.author}/{work.date}/{work.number}"


def _e(
    tag: str, parent: etree._Element | None = None, text: str | None = None, **attrs: str
) -> etree._Element:
    element = (
        etree.Element(f"{{{AKN}}}{tag}") if parent is None else etree.SubElement(parent, f"{{{AKN}}}{tag}")
    )
    for key, value in attrs.items():
        element.set(key.rstrip("_"), value)  # class_ → class
    if text:
        element.text = text
    return element


def revision_akn(revision: Revision, work: Work) -> bytes:
    """A revision as <statement name="resolutionDraft">, with statuses, elements, brackets and notes."""
    root = _root()
    statement = _e("statement", root, name="resolutionDraft")
    concepts = _concepts(revision.paragraphs)
    _meta(statement, work, revision.header, expression_iri(work, revision.header), concepts)
    front = [p for p in revision.paragraphs if p.part == "front"]
    if front:
        preface = _e("preface", statement)
        for para in front:
            _e("p", preface, eId=para.eid, wId=para.wid, **_refers(para)).text = para.text
    body = _e("mainBody", statement)
    rest = [p for p in revision.paragraphs if p.part != "front"]
    for part, grouped in groupby(rest, key=lambda p: p.part):
        paras = list(grouped)
        _paragraphs(body if part == "body" else _annex(body, part, paras), paras)
    return _serialise(root)


def _annex(body: etree._Element, part: str, first: Sequence[Para]) -> etree._Element:
    prefix = first[0].eid.split("__", 1)[0] if first and "__" in first[0].eid else part
    return _e("hcontainer", body, name="annex", eId=prefix, wId=prefix)


def _paragraphs(container: etree._Element, paras: Sequence[Para]) -> None:
    """Paragraphs with their sub-paragraphs nested; headings as headed containers."""
    index = 0
    while index < len(paras):
        para = paras[index]
        subs: list[Para] = []
        while index + 1 + len(subs) < len(paras) and paras[index + 1 + len(subs)].kind == "subparagraph":
            subs.append(paras[index + 1 + len(subs)])
        if para.kind == "heading":
            heading = _e("hcontainer", container, name="heading", eId=para.eid, wId=para.wid, **_refers(para))
            if para.number:
                _e("num", heading, para.number)
            _inline(_e("heading", heading), para)
            _e("content", heading).append(_e("p"))
            for sub in subs:
                _leaf(container, "subparagraph", sub)
        elif para.kind == "subparagraph":
            _leaf(container, "subparagraph", para)
        else:
            element = _e("paragraph", container, eId=para.eid, wId=para.wid, **_refers(para))
            if number_label(para):
                _e("num", element, number_label(para))
            if subs:
                _inline(_e("p", _e("intro", element)), para)
                for sub in subs:
                    _leaf(element, "subparagraph", sub)
            else:
                _inline(_e("p", _e("content", element)), para)
        index += 1 + (len(subs) if para.kind != "subparagraph" else 0)


def _leaf(parent: etree._Element, tag: str, para: Para) -> None:
    element = _e(tag, parent, eId=para.eid, wId=para.wid, **_refers(para))
    if number_label(para):
        _e("num", element, number_label(para))
    _inline(_e("p", _e("content", element)), para)


def _refers(para: Para) -> dict[str, str]:
    """The paragraph's status and mandate elements, as references to concepts in the metadata."""
    refs = [f"#status_{para.status}", *(f"#element_{code}" for code in para.elements)]
    return {"refersTo": " ".join(refs), "class_": f"status-{para.status}"}


def _inline(element: etree._Element, para: Para) -> None:
    """Text with bracketed stretches as <inline name="bracketed">, and footnotes as authorial notes."""
    _bracketed(element, para.text, 0, len(para.text), 1)
    for index, note in enumerate(para.footnotes, start=1):
        marked = _e("authorialNote", element, marker=note.marker, placement="bottom")
        marked.set("eId", f"{para.eid}__authorialNote_{index}")
        _e("p", marked, note.text)


def _bracketed(element: etree._Element, text: str, start: int, end: int, depth: int) -> None:
    segments = [s for s in parse_brackets(text).segments if s.depth == depth and start <= s.start < end]
    cursor = start
    for segment in segments:
        _append_text(element, text[cursor : segment.start])
        inline = _e("inline", element, name="bracketed")
        _bracketed(inline, text, segment.start, segment.end, depth + 1)
        cursor = segment.end
    _append_text(element, text[cursor:end])


def _append_text(element: etree._Element, text: str) -> None:
    if not text:
        return
    if len(element):
        last = element[-1]
        last.tail = (last.tail or "") + text
    else:
        element.text = (element.text or "") + text


def _concepts(paras: Sequence[Para]) -> list[tuple[str, str]]:
    statuses = sorted({p.status for p in paras})
    elements = sorted({code for p in paras for code in p.elements})
    return [(f"status_{s}", s.replace("_", " ")) for s in statuses] + [
        (f"element_{code}", f"mandate element ({code})") for code in elements
    ]


def _meta(
    document: etree._Element,
    work: Work,
    header: Header,
    expression: str,
    concepts: list[tuple[str, str]],
    references: bool = True,
) -> None:
    meta = _e("meta", document)
    identification = _e("identification", meta, source=SOURCE)
    date = header.date or (header.published_at.date().isoformat() if header.published_at else work.date)
    language = LANGUAGES.get(header.language[:2], header.language)
    frbr_work = _e("FRBRWork", identification)
    _e("FRBRthis", frbr_work, value=f"{work_iri(work)}/!main")
    _e("FRBRuri", frbr_work, value=work_iri(work))
    _e("FRBRdate", frbr_work, date=work.date, name="work")
    _e("FRBRauthor", frbr_work, href=f"#{work.author}")
    _e("FRBRcountry", frbr_work, value="un")
    _e("FRBRnumber", frbr_work, value=work.number)
    if header.symbol:
        _e("FRBRalias", frbr_work, value=header.symbol, name="symbol")
        frbr_work.insert(2, frbr_work[-1])
    expr = _e("FRBRExpression", identification)
    _e("FRBRthis", expr, value=f"{expression}/!main")
    _e("FRBRuri", expr, value=expression)
    _e("FRBRdate", expr, date=date, name=version_of(header.label))
    _e("FRBRauthor", expr, href=f"#{work.author}")
    _e("FRBRlanguage", expr, language=language)
    manifestation = _e("FRBRManifestation", identification)
    _e("FRBRthis", manifestation, value=f"{expression}/!main.xml")
    _e("FRBRuri", manifestation, value=f"{expression}.akn")
    _e("FRBRdate", manifestation, date=date, name="exported")
    _e("FRBRauthor", manifestation, href=SOURCE)
    if references:  # once per file: a list's amendments share the list's (eIds must be unique)
        _references(meta, work, header, concepts)


def _references(meta: etree._Element, work: Work, header: Header, concepts: list[tuple[str, str]]) -> None:
    references = _e("references", meta, source=SOURCE)
    _e("TLCOrganization", references, eId="accord", href="/ontology/organization/accord", showAs="Accord")
    _e(
        "TLCOrganization",
        references,
        eId=work.author,
        href=f"/ontology/organization/un/{work.author}",
        showAs=header.author,
    )
    for eid, show in concepts:
        _e("TLCConcept", references, eId=eid, href=f"/ontology/concept/accord/{eid}", showAs=show)


def amendment_element(
    amendment: Amendment, work: Work, header: Header, references: bool = True
) -> etree._Element:
    """A proposal as <amendment>: heading, the redline with <ins>/<del>, reference, justification."""
    document = _e("amendment", name=amendment.action)
    expression = f"{expression_iri(work, header)}/!amendment_{amendment.number}"
    _meta(document, work, header, expression, [], references)
    body = _e("amendmentBody", document)
    heading = _e("amendmentHeading", body)
    _e("p", heading, f"Proposal {amendment.number} by {amendment.sponsor}: {amendment.action}")
    content = _e("amendmentContent", body)
    paragraph = _e("p", content)
    for kind, text in amendment.redline:
        if kind == "equal":
            _append_text(paragraph, text)
        else:
            _e("ins" if kind == "insert" else "del", paragraph, text)
    reference = _e("amendmentReference", body)
    ref = _e("p", reference)
    _e(
        "ref",
        ref,
        amendment.paragraph_label,
        href=f"{expression_iri(work, header)}/!main#{amendment.paragraph_eid}",
    )
    if amendment.cosponsors:
        _e("p", reference, "Co-sponsors: " + ", ".join(amendment.cosponsors))
    if amendment.ruling:
        _e("p", reference, amendment.ruling)
    justification = _e("amendmentJustification", body)
    _e("p", justification, amendment.justification or "No justification given.")
    return document


def amendment_akn(amendment: Amendment, work: Work, header: Header) -> bytes:
    """One proposal as an Akoma Ntoso document."""
    root = _root()
    root.append(amendment_element(amendment, work, header))
    return _serialise(root)


def amendment_list_akn(amendments: Sequence[Amendment], work: Work, header: Header) -> bytes:
    """The compilation text as <amendmentList>: one component per proposal, in document order."""
    root = _root()
    listing = _e("amendmentList", root, name="compilation")
    _meta(listing, work, header, f"{expression_iri(work, header)}/!compilation", [])
    body = _e("collectionBody", listing)
    for amendment in amendments:
        name = f"amendment_{amendment.number}"
        component = _e("component", body, eId=name, wId=name)
        component.append(amendment_element(amendment, work, header, references=False))
    if not amendments:
        component = _e("component", body, eId="none", wId="none")
        _e("p", _e("interstitial", component), "No proposals.")
    return _serialise(root)


def _root() -> etree._Element:
    return etree.Element(f"{{{AKN}}}akomaNtoso", nsmap={None: AKN})


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
