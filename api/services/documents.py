"""Documents out: a revision, the redline between two, and the compilation text as Word files."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from api import office
from api.domain.documents import akn, model, ooxml
from api.domain.documents.docx_in import WordFile, body_text, read_word
from api.domain.documents.tracked import (
    Attribution,
    Change,
    Group,
    Kind,
    Piece,
    TrackedParagraph,
    ordered,
    tracked_paragraphs,
)
from api.domain.errors import InvalidInput, NotFound
from api.domain.negotiation import ACCEPTING, Decision, ProposalAction
from api.models import Delegation, Paragraph, Proposal, Revision, Ruling
from api.models.base import as_utc, saved_id
from api.services import history, proposals, revisions
from api.services.actors import Actor, require_delegation_member
from api.services.history_schemas import ParagraphChange
from api.services.redlines import proposal_redline
from api.services.schemas import CompilationView, ParagraphView, ProposalView, RedlineOp, RevisionView, Schema

COFACILITATORS = "Co-facilitators"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class FileOut:
    """A file to send: its name, media type and bytes."""

    filename: str
    media_type: str
    content: bytes


def header_of(view: RevisionView) -> model.Header:
    """The masthead of a revision: symbol, date, title in the revision's language."""
    process, revision = view.process, view.revision
    return model.Header(
        process=process.slug,
        title=process.title_zh if revision.language.startswith("zh") else process.title_en,
        label=revision.label,
        language=revision.language,
        symbol=revision.symbol or process.symbol,
        date=revision.document_date,
        published_at=revision.published_at,
        content_hash=revision.content_hash,
    )


def para_of(view: ParagraphView) -> model.Para:
    """A paragraph read model as the document builders take it."""
    return model.Para(
        key=view.key,
        eid=view.eid,
        wid=view.wid,
        part=view.part,
        kind=view.kind,
        number=view.number,
        text=view.text,
        status=view.status,
        section=view.section,
        footnotes=tuple(model.Note(n.marker, n.text) for n in view.footnotes),
        elements=tuple(view.elements),
        formatting=tuple((int(s[0]), int(s[1]), str(s[2])) for s in view.formatting),
    )


def revision_model(session: Session, actor: Actor, slug: str, label: str | None) -> model.Revision:
    """A revision as the document builders take it (default: the latest published)."""
    view = revisions.get_revision_view(session, actor, slug, label)
    return model.Revision(header_of(view), tuple(para_of(p) for p in view.paragraphs))


def file_stem(header: model.Header) -> str:
    """A file name stem from the process and label: gcm-Rev.1."""
    safe = "".join(c if c.isalnum() or c in ".-_" else "-" for c in header.label)
    return f"{header.process}-{safe}"


def revision_docx(session: Session, actor: Actor, slug: str, label: str | None) -> FileOut:
    """A revision as a Word file in UN layout."""
    revision = revision_model(session, actor, slug, label)
    return FileOut(f"{file_stem(revision.header)}.docx", DOCX, ooxml.revision_docx(revision))


@dataclass(frozen=True)
class Redline:
    """Two revisions and the tracked paragraphs that turn the older into the newer."""

    old: model.Revision
    new: model.Revision
    paragraphs: list[TrackedParagraph]


def redline(session: Session, actor: Actor, slug: str, from_label: str, to_label: str) -> Redline:
    """The redline from one revision to another, each change credited to the proposal it came from."""
    comparison = history.compare_revisions(session, actor, slug, from_label, to_label)
    old_view = revisions.get_revision_view(session, actor, slug, from_label)
    new_view = revisions.get_revision_view(session, actor, slug, to_label)
    old = model.Revision(header_of(old_view), tuple(para_of(p) for p in old_view.paragraphs))
    new = model.Revision(header_of(new_view), tuple(para_of(p) for p in new_view.paragraphs))
    groups = _groups(comparison.paragraphs, old, new)
    credit = _attribution(session, slug, old_view, new_view)
    laid_out = ordered(groups, old.paragraphs, new.paragraphs)
    return Redline(old, new, tracked_paragraphs(laid_out, credit))


def redline_docx(session: Session, actor: Actor, slug: str, from_label: str, to_label: str) -> FileOut:
    """The redline as a Word file with real tracked changes."""
    found = redline(session, actor, slug, from_label, to_label)
    content = ooxml.redline_docx(found.old.header, found.new.header, found.paragraphs)
    return FileOut(f"{_redline_stem(found)}.docx", DOCX, content)


def _groups(changes: list[ParagraphChange], old: model.Revision, new: model.Revision) -> list[Group]:
    """Corresponding paragraphs from the comparison: one to one, the parts of a split, a merge."""
    old_by = {p.key: p for p in old.paragraphs}
    new_by = {p.key: p for p in new.paragraphs}
    groups: list[Group] = []
    split_at: dict[str, int] = {}
    for change in changes:
        if change.change == "deleted":
            groups.append(Group((old_by[change.key],), ()))
        elif change.change == "inserted":
            groups.append(Group((), (new_by[change.key],)))
        elif change.change == "split":
            source = change.came_from[0]
            if source in split_at:
                group = groups[split_at[source]]
                groups[split_at[source]] = Group(group.old, (*group.new, new_by[change.key]))
            else:
                split_at[source] = len(groups)
                groups.append(Group((old_by[source],), (new_by[change.key],)))
        elif change.change == "merged":
            groups.append(Group(tuple(old_by[k] for k in change.came_from), (new_by[change.key],)))
        else:
            groups.append(Group((old_by[change.key],), (new_by[change.key],)))
    return groups


def _attribution(session: Session, slug: str, old: RevisionView, new: RevisionView) -> Attribution:
    """Credit for the changes: the proposals whose rulings the revisions after the older one reflect."""
    moment = new.revision.published_at or datetime.now(UTC)
    default = Change(COFACILITATORS, moment)
    provenance = {p.key: [(s.text, s.sources) for s in p.provenance] for p in new.paragraphs}
    if new.revision.sequence <= old.revision.sequence:
        return Attribution(default, provenance=provenance)  # read backwards, nobody proposed the change
    process = revisions.get_process(session, slug)
    rows = session.exec(
        select(Proposal, Ruling.ruled_at, Paragraph.key)
        .join(Ruling, col(Ruling.proposal_id) == Proposal.id)
        .join(Revision, col(Revision.id) == Ruling.reflected_in_revision_id)
        .join(Paragraph, col(Paragraph.id) == Proposal.paragraph_id)
        .where(
            Proposal.process_id == process.id,
            col(Revision.sequence) > old.revision.sequence,
            col(Revision.sequence) <= new.revision.sequence,
            col(Ruling.decision).in_(ACCEPTING),
        )
        .order_by(col(Ruling.ruled_at))
    ).all()
    ids = {p.sponsor_id for p, _at, _key in rows} | {p.on_behalf_of_id for p, _at, _key in rows}
    names = dict(
        session.exec(select(Delegation.id, Delegation.name_en).where(col(Delegation.id).in_(ids))).all()
    )
    sources: dict[str, Change] = {}
    paragraphs: dict[str, Change] = {}
    for proposal, ruled_at, key in rows:
        sponsor = names[proposal.sponsor_id]
        group = names.get(proposal.on_behalf_of_id) if proposal.on_behalf_of_id else None
        change = Change(f"{sponsor} on behalf of {group}" if group else sponsor, as_utc(ruled_at))
        sources[f"proposal {proposal.id}"] = change
        if proposal.action != ProposalAction.INSERT:
            paragraphs[key] = change
    return Attribution(default, sources, paragraphs, provenance)


DECISION_WORDS: dict[str, str] = {
    Decision.ACCEPT: "Accepted",
    Decision.ACCEPT_WITH_CHANGES: "Accepted with changes",
    Decision.REJECT: "Rejected",
    Decision.DEFER: "Deferred",
}
KINDS: dict[str, Kind] = {"equal": "equal", "insert": "insert", "delete": "delete"}
ACTION_WORDS: dict[str, str] = {
    ProposalAction.AMEND: "Amendment",
    ProposalAction.INSERT: "New paragraph after",
    ProposalAction.DELETE: "Deletion",
}


def compilation_rows(view: CompilationView) -> list[ooxml.CompilationRow]:
    """The compilation text's proposals as table rows, in document order and by delegation."""
    rows = []
    for entry in view.paragraphs:
        para = model.Para(entry.key, "", "", "", entry.kind, entry.number, entry.text)
        for proposal in entry.proposals:
            rows.append(
                ooxml.CompilationRow(
                    paragraph=model.number_label(para) or entry.key,
                    paragraph_text=entry.text,
                    proposal=f"{ACTION_WORDS.get(proposal.action, proposal.action)} (proposal {proposal.id})",
                    redline=tuple(Piece(KINDS[op.kind], op.text) for op in proposal.redline),
                    sponsor=_sponsor(proposal),
                    cosponsors=", ".join(c.delegation for c in proposal.cosponsors if c.withdrawn_at is None),
                    justification=proposal.justification,
                    ruling=_ruling(proposal),
                )
            )
    return rows


def _sponsor(proposal: ProposalView) -> str:
    return (
        f"{proposal.sponsor} on behalf of {proposal.on_behalf_of}"
        if proposal.on_behalf_of
        else proposal.sponsor
    )


def _ruling(proposal: ProposalView) -> str:
    if not proposal.rulings:
        return f"Not yet ruled ({proposal.state})"
    ruling = proposal.rulings[-1]
    when = as_utc(ruling.ruled_at).date().isoformat()
    words = f"{DECISION_WORDS.get(ruling.decision, ruling.decision)} on {when}"
    return f"{words}: {ruling.reason}" if ruling.reason else words


def compilation_docx(session: Session, actor: Actor, slug: str) -> FileOut:
    """The compilation text as a Word table (who may read it is the compilation's rule)."""
    view = proposals.compilation(session, actor, slug)
    header = header_of(revisions.get_revision_view(session, actor, slug, view.revision))
    content = ooxml.compilation_docx(header, compilation_rows(view))
    return FileOut(f"{file_stem(header)}-compilation.docx", DOCX, content)


AKN_XML = "application/akn+xml"


def work_of(session: Session, slug: str) -> akn.Work:
    """The AKN4UN work a process's revisions are expressions of: author, first revision's date, number."""
    process = revisions.get_process(session, slug)
    first = session.exec(
        select(Revision).where(Revision.process_id == process.id).order_by(col(Revision.sequence)).limit(1)
    ).first()
    date = (first.document_date if first else None) or (
        as_utc(first.published_at).date().isoformat() if first and first.published_at else "0000-00-00"
    )
    return akn.Work(author=process.slug, date=date, number=process.slug)


def revision_akn(session: Session, actor: Actor, slug: str, label: str | None) -> FileOut:
    """A revision as Akoma Ntoso (AKN4UN statement, resolutionDraft)."""
    revision = revision_model(session, actor, slug, label)
    content = akn.revision_akn(revision, work_of(session, slug))
    return FileOut(f"{file_stem(revision.header)}.akn.xml", AKN_XML, content)


def amendment_of(proposal: ProposalView, number: str | None, eid: str, kind: str) -> akn.Amendment:
    """A proposal as the AKN builder takes it."""
    para = model.Para(proposal.paragraph_key, eid, eid, "", kind, number, "")
    return akn.Amendment(
        number=str(proposal.id),
        action=proposal.action,
        paragraph_eid=eid,
        paragraph_label=model.number_label(para) or proposal.paragraph_key,
        redline=tuple((op.kind, op.text) for op in proposal.redline),
        sponsor=_sponsor(proposal),
        cosponsors=tuple(c.delegation for c in proposal.cosponsors if c.withdrawn_at is None),
        justification=proposal.justification,
        date=as_utc(proposal.created_at).date().isoformat(),
        ruling=_ruling(proposal),
    )


def compilation_akn(session: Session, actor: Actor, slug: str) -> FileOut:
    """The compilation text as an AKN <amendmentList> of <amendment>s, in document order."""
    view = proposals.compilation(session, actor, slug)
    revision = revisions.get_revision_view(session, actor, slug, view.revision)
    eids = {p.key: p.eid for p in revision.paragraphs}
    amendments = [
        amendment_of(proposal, entry.number, eids.get(entry.key, entry.key), entry.kind)
        for entry in view.paragraphs
        for proposal in entry.proposals
    ]
    header = header_of(revision)
    content = akn.amendment_list_akn(amendments, work_of(session, slug), header)
    return FileOut(f"{file_stem(header)}-compilation.akn.xml", AKN_XML, content)


def resolve_expression(session: Session, actor: Actor, iri: akn.Work, version: str) -> str:
    """The label of the revision an IRI names (work and version "rev.2" → "Rev.2"), or NotFound."""
    slug = iri.author
    if work_of(session, slug) != iri:
        raise NotFound(f"no work {akn.work_iri(iri)}")
    for summary in revisions.list_revisions(session, actor, slug):
        if akn.version_of(summary.label) == version:
            return summary.label
    raise NotFound(f"process {slug!r} has no revision {version!r}")


def paragraph_key(session: Session, actor: Actor, slug: str, label: str, eid: str) -> str:
    """The key of the paragraph with this eId in a revision, or NotFound."""
    for paragraph in revisions.get_revision_view(session, actor, slug, label).paragraphs:
        if paragraph.eid == eid:
            return paragraph.key
    raise NotFound(f"revision {label!r} has no paragraph {eid!r}")


PDF = "application/pdf"


def as_pdf(found: FileOut) -> FileOut:
    """The same document printed to PDF by LibreOffice (A4, running head, page numbers, CJK fonts)."""
    stem = found.filename.removesuffix(".docx")
    return FileOut(f"{stem}.pdf", PDF, office.docx_to_pdf(found.content))


def revision_pdf(session: Session, actor: Actor, slug: str, label: str | None) -> FileOut:
    """A revision as PDF."""
    return as_pdf(revision_docx(session, actor, slug, label))


def redline_pdf(session: Session, actor: Actor, slug: str, from_label: str, to_label: str) -> FileOut:
    """The redline as PDF in UN style: deletions struck through, insertions bold and underlined."""
    found = redline(session, actor, slug, from_label, to_label)
    content = ooxml.redline_docx(found.old.header, found.new.header, found.paragraphs, tracked=False)
    return as_pdf(FileOut(f"{_redline_stem(found)}.docx", DOCX, content))


def _redline_stem(found: Redline) -> str:
    return f"{file_stem(found.new.header)}-changes-since-{file_stem(found.old.header).split('-', 1)[1]}"


def compilation_pdf(session: Session, actor: Actor, slug: str) -> FileOut:
    """The compilation text as PDF."""
    return as_pdf(compilation_docx(session, actor, slug))


# Every download by format, for the API's routes and the web's links.
REVISION_FILES: dict[str, Callable[[Session, Actor, str, str | None], FileOut]] = {
    "docx": revision_docx,
    "akn.xml": revision_akn,
    "pdf": revision_pdf,
}
REDLINE_FILES: dict[str, Callable[[Session, Actor, str, str, str], FileOut]] = {
    "docx": redline_docx,
    "pdf": redline_pdf,
}
COMPILATION_FILES: dict[str, Callable[[Session, Actor, str], FileOut]] = {
    "docx": compilation_docx,
    "akn.xml": compilation_akn,
    "pdf": compilation_pdf,
}


# --- documents in: a delegation's tracked-changes Word file → its proposals, to confirm before tabling ----

MAX_UPLOAD_BYTES = 5_000_000


class SuggestedProposal(Schema):
    """A proposal read out of a tracked-changes Word file, shown for the delegation to confirm."""

    paragraph_key: str
    paragraph_number: str | None
    action: str
    text: str
    justification: str
    redline: list[RedlineOp]


class WordProposals(Schema):
    """What a tracked-changes Word file proposes against the current revision; nothing is tabled yet."""

    process: str
    # Who the proposals are tabled for once confirmed (as `sponsor`): the uploader's delegation, whoever
    # Word says typed the changes.
    delegation: str
    base_revision: str
    made_against: str | None
    other_revision: bool
    proposals: list[SuggestedProposal]
    unmatched: list[str]


def proposals_from_docx(
    session: Session, actor: Actor, slug: str, filename: str, data: bytes
) -> WordProposals:
    """One proposal per changed paragraph (amend, insert after, delete), comments as justifications."""
    process = revisions.get_process(session, slug)
    require_delegation_member(actor, saved_id(process))
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidInput(f"{filename} is larger than {MAX_UPLOAD_BYTES} bytes")
    word = read_word(data, filename)
    view = revisions.get_revision_view(session, actor, slug, None)
    suggested, unmatched = _suggest(word, view.paragraphs)
    made_against = word.subject
    return WordProposals(
        process=slug,
        delegation=actor.delegation_code or "",
        base_revision=view.revision.label,
        made_against=made_against,
        other_revision=made_against is not None and made_against != view.revision.label,
        proposals=suggested,
        unmatched=unmatched,
    )


def _suggest(word: WordFile, paragraphs: list[ParagraphView]) -> tuple[list[SuggestedProposal], list[str]]:
    by_eid = {p.eid[:40]: p for p in paragraphs}
    by_text: dict[str, ParagraphView] = {}
    for paragraph in paragraphs:
        by_text.setdefault(paragraph.text, paragraph)
    suggested: list[SuggestedProposal] = []
    unmatched: list[str] = []
    last: ParagraphView | None = None
    for wp in word.paragraphs:
        old, new = body_text(wp.rejected), body_text(wp.accepted)
        base = next((by_eid[b] for b in wp.bookmarks if b in by_eid), None) or by_text.get(old)
        if base is not None and not old and wp.mark == "insert":
            base = None  # an empty new paragraph that happens to carry the bookmark it was split from
        if base is not None:
            last = base
            if wp.changed and new != base.text:
                action = ProposalAction.DELETE if not new else ProposalAction.AMEND
                suggested.append(_suggestion(base, action, new, wp.comments))
        elif wp.changed and not old and new:
            if last is None:
                unmatched.append(new[:120])
            else:
                suggested.append(_suggestion(last, ProposalAction.INSERT, new, wp.comments))
        elif wp.changed and (old or new):
            unmatched.append((new or old)[:120])
    return suggested, unmatched


def _suggestion(base: ParagraphView, action: str, text: str, comments: list[str]) -> SuggestedProposal:
    return SuggestedProposal(
        paragraph_key=base.key,
        paragraph_number=base.number,
        action=action,
        text="" if action == ProposalAction.DELETE else text,
        justification=" ".join(comments),
        redline=proposal_redline(action, base.text, text),
    )
