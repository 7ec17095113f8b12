"""Importing a revision from a text or Markdown file, aligned to the previous one so lineage continues."""

import hashlib
from collections.abc import Sequence

from sqlmodel import Session, col, delete, select

from api.domain.documents.docx_in import draft_text, read_word
from api.domain.errors import Conflict, Forbidden, InvalidInput
from api.domain.limits import check_draft_size, check_paragraph_count
from api.domain.negotiation import LinkKind, ParagraphKind
from api.domain.numbering import as_printed, citation
from api.domain.renumbering import preambular_by_default
from api.domain.structure.drafts import read_draft, rough_pieces
from api.domain.structure.ids import KEY_MAX, WID_MAX, fit, key_for
from api.domain.structure.outline import StructuredParagraph
from api.domain.text import Alignment, align
from api.domain.text_input import decode_text
from api.models import Paragraph, ParagraphLink, ParagraphVersion, Process, Revision
from api.models.base import saved_id
from api.services.actors import Actor, require_authenticated
from api.services.audit import record_event
from api.services.inputs import ImportReview
from api.services.locks import lock_process
from api.services.revisions import get_process, latest_published_revision, paragraph_rows
from api.services.schemas import ImportedParagraph, ImportView
from api.services.working_copy import find_working_copy

# Below the request body limit, so that a too-large draft gets this clear message rather than a 413.
MAX_IMPORT_BYTES = 1_500_000


def _require_importer(actor: Actor, process: Process) -> None:
    require_authenticated(actor)
    if not (actor.is_secretariat or actor.has_role("cofacilitator", process.id)):
        raise Forbidden("only the secretariat or this process's co-facilitators import drafts")


def import_revision(session: Session, actor: Actor, slug: str, filename: str, data: bytes) -> ImportView:
    """Load a draft into the working copy, with each paragraph mapped to the one it continues."""
    process = get_process(session, slug)
    _require_importer(actor, process)
    if len(data) > MAX_IMPORT_BYTES:
        raise InvalidInput(f"{filename} is larger than {MAX_IMPORT_BYTES} bytes")
    text = draft_source(filename, data)
    # Counted cheaply first, so that a flood of paragraphs is refused before any parsing.
    check_paragraph_count(len(rough_pieces(text, _reading_name(filename))), filename)
    blocks = draft_blocks(text, _reading_name(filename))
    check_draft_size([block.text for block in blocks], filename)
    lock_process(session, saved_id(process), exclusive=True)
    if find_working_copy(session, process) is not None:
        raise Conflict("a working copy is already open; publish or discard it before importing a new draft")
    previous = latest_published_revision(session, process)
    working = _new_working_revision(session, process, previous, filename)
    old = paragraph_rows(session, previous.id) if previous and previous.id else []
    mapping, relations, links, evidence = _proposed_mapping(old, blocks)
    working.source = {**working.source, "relations": relations, "links": links, "evidence": evidence}
    _write_versions(session, process, working, blocks, mapping, old)
    payload = {"file": filename, "sha256": hashlib.sha256(data).hexdigest()}
    record_event(session, actor, "revision.imported", "revision", working.id, payload, process.id)
    return import_view(session, actor, slug)


def draft_source(filename: str, data: bytes) -> str:
    """The draft's text in the plain format: as it is for .txt/.md, read out of Word for .docx."""
    name = filename.lower()
    if name.endswith(".docx"):
        # Word's automatic numbering and heading styles become the numbers and headings the parser reads.
        return draft_text(read_word(data, filename))
    if not name.endswith((".txt", ".md", ".markdown", ".text")):
        raise InvalidInput(f"{filename}: import takes .docx, .txt or .md files")
    return decode_text(data, filename)


def _reading_name(filename: str) -> str:
    # Word's text comes out in the plain format, whatever the file was called.
    return "draft.txt" if filename.lower().endswith(".docx") else filename


def draft_blocks(text: str, filename: str) -> list[StructuredParagraph]:
    """The paragraphs of a draft as the import reads it (`accord align --read import` reads the same):
    Markdown (.md) with a CommonMark parser, text one line per unit by its indentation, else by blocks."""
    return read_draft(text, filename)


def propose_alignment(
    old: Sequence[tuple[str, str | None]], new: Sequence[tuple[str, str | None]]
) -> Alignment:
    """The alignment an import proposes between paragraphs given as (text, number); the CLI's too.

    Paragraphs are compared as printed, an option's label with its words (`numbering.as_printed`)."""
    return align(
        [as_printed(text, number) for text, number in old],
        [as_printed(text, number) for text, number in new],
        old_places=[number for _text, number in old],
        new_places=[number for _text, number in new],
    )


def _new_working_revision(
    session: Session, process: Process, previous: Revision | None, filename: str
) -> Revision:
    sequence = previous.sequence + 1 if previous else 0
    working = Revision(
        process_id=saved_id(process),
        sequence=sequence,
        label=f"Working copy {sequence}",
        language=process.language,
        source={"kind": "import", "file": filename, "from": previous.label if previous else None},
    )
    session.add(working)
    session.flush()
    return working


Link = dict[str, int | str]
Evidence = dict[str, object]


def _proposed_mapping(
    old: list[tuple[ParagraphVersion, Paragraph]], blocks: list[StructuredParagraph]
) -> tuple[list[str | None], list[str], list[Link], list[Evidence | None]]:
    """For each new block: the old paragraph it continues (or None), the relation and its evidence."""
    mapping: list[str | None] = [None] * len(blocks)
    relations = ["inserted"] * len(blocks)
    links: list[Link] = []
    evidence: list[Evidence | None] = [None] * len(blocks)
    if not old:
        return mapping, relations, links, evidence
    alignment = propose_alignment([(v.text, v.number) for v, _p in old], [(b.text, b.number) for b in blocks])
    keys = [p.key for _v, p in old]
    for pair in alignment.pairs:
        mapping[pair.new], relations[pair.new] = keys[pair.old], pair.kind
    for split in alignment.splits:
        # The identity goes to the part that carries the text, not to a bare label before it.
        heir = split.new[0] if split.heir is None else split.heir
        mapping[heir], relations[heir] = keys[split.old], LinkKind.SPLIT
        for index in split.new:
            if index != heir:
                relations[index] = f"split from {keys[split.old]}"
                links.append({"index": index, "source": keys[split.old], "relation": LinkKind.SPLIT})
    for merged in alignment.merges:
        heir = merged.old[0] if merged.heir is None else merged.heir
        mapping[merged.new] = keys[heir]
        relations[merged.new] = "merged from " + ", ".join(keys[i] for i in merged.old)
        links.extend(
            {"index": merged.new, "source": keys[i], "relation": LinkKind.MERGE}
            for i in merged.old
            if i != heir
        )
    for j, link in alignment.evidence_of_new().items():
        evidence[j] = {
            "confidence": link.confidence,
            "similarity": round(link.similarity, 3),
            "reasons": list(link.reasons),
            "sources": [keys[i] for i in link.old],
            "rivals": [keys[i] for i in link.rivals_old],
            "rival_indices": list(link.rivals_new),
            "parts": list(link.new),
        }
    return mapping, relations, links, evidence


def _write_versions(
    session: Session,
    process: Process,
    working: Revision,
    blocks: list[StructuredParagraph],
    mapping: list[str | None],
    old: list[tuple[ParagraphVersion, Paragraph]],
) -> None:
    by_key = {p.key: p for _v, p in old}
    taken_keys = set(session.exec(select(Paragraph.key).where(Paragraph.process_id == process.id)).all())
    identities: list[Paragraph] = []
    preamble = preambular_by_default([(block.kind, block.number, block.text) for block in blocks])
    for position, (block, key) in enumerate(zip(blocks, mapping, strict=True)):
        paragraph = by_key[key] if key else _new_identity(session, process, working, block.eid, taken_keys)
        identities.append(paragraph)
        session.add(
            ParagraphVersion(
                revision_id=saved_id(working),
                paragraph_id=saved_id(paragraph),
                position=position,
                part="body",
                section=block.section,
                kind=block.kind,
                number=block.number,
                preambular=preamble[position],
                eid=block.eid,
                text=block.text,
                footnotes=[{"marker": f.marker, "text": f.text} for f in block.footnotes],
                formatting=[[span.start, span.end, span.style] for span in block.spans],
            )
        )
    _write_links(session, working, identities, by_key, working.source.get("links", []))


def _write_links(
    session: Session,
    working: Revision,
    identities: list[Paragraph],
    by_key: dict[str, Paragraph],
    links: list[Link],
) -> None:
    session.add_all(
        ParagraphLink(
            revision_id=saved_id(working),
            paragraph_id=saved_id(identities[int(link["index"])]),
            source_paragraph_id=saved_id(by_key[str(link["source"])]),
            relation=str(link["relation"]),
        )
        for link in links
    )
    session.flush()


def _new_identity(
    session: Session, process: Process, working: Revision, eid: str, taken: set[str]
) -> Paragraph:
    stem = key_for(eid)
    key, n = stem, 1
    while key in taken:  # the same number twice, or a key an earlier revision already gave out
        key, n = fit(f"{stem}-r{working.sequence}" + (f"-{n}" if n > 1 else ""), KEY_MAX), n + 1
    taken.add(key)
    paragraph = Paragraph(
        process_id=saved_id(process), key=key, wid=fit(eid, WID_MAX), origin_revision_id=working.id
    )
    session.add(paragraph)
    session.flush()
    return paragraph


def import_view(session: Session, actor: Actor, slug: str) -> ImportView:
    """The imported draft in the working copy with its proposed (or corrected) alignment."""
    process = get_process(session, slug)
    _require_importer(actor, process)
    working = find_working_copy(session, process)
    if working is None or working.source.get("kind") != "import":
        raise Conflict(f"process {slug!r} has no imported draft waiting for confirmation")
    assert working.id is not None
    rows = paragraph_rows(session, working.id)
    relations: list[str] = working.source.get("relations", [])
    kept = {p.key for _v, p in rows}
    previous = latest_published_revision(session, process)
    old = paragraph_rows(session, previous.id) if previous and previous.id else []
    evidence: list[Evidence | None] = working.source.get("evidence", [])
    also: dict[int, list[str]] = {}
    for link in working.source.get("links", []):
        also.setdefault(int(link["index"]), []).append(str(link["source"]))
    linked = {key for keys in also.values() for key in keys}
    old_text = {p.key: v.text for v, p in old}
    paragraphs = [
        _imported(i, v, p, working, relations, evidence[i] if i < len(evidence) else None, also.get(i, []))
        for i, (v, p) in enumerate(rows)
    ]
    paragraphs = [
        p.model_copy(update={"was": old_text.get(p.continues or (p.also[0] if p.also else ""))})
        for p in paragraphs
    ]
    return ImportView(
        process=slug,
        working_label=working.label,
        previous=previous.label if previous else None,
        confirmed=bool(working.source.get("alignment_confirmed")),
        paragraphs=paragraphs,
        # An old paragraph merged into (or split into) an imported one lives on there: it is not deleted.
        deleted=[p.key for _v, p in old if p.key not in kept and p.key not in linked],
        to_check=_to_check(paragraphs),
    )


def _imported(
    i: int,
    version: ParagraphVersion,
    paragraph: Paragraph,
    working: Revision,
    relations: list[str],
    evidence: Evidence | None,
    also: list[str],
) -> ImportedParagraph:
    reasons = evidence.get("reasons", []) if evidence else []
    rivals = evidence.get("rivals", []) if evidence else []
    return ImportedParagraph(
        index=i,
        key=paragraph.key,
        eid=version.eid,
        kind=version.kind,
        number=version.number,
        citation=citation(version.number, version.kind),
        text=version.text,
        preambular=version.preambular,
        continues=paragraph.key if paragraph.origin_revision_id != working.id else None,
        relation=relations[i] if i < len(relations) else "corrected",
        confidence=str(evidence["confidence"]) if evidence else None,
        evidence=[str(r) for r in reasons] if isinstance(reasons, list) else [],
        rivals=[str(r) for r in rivals] if isinstance(rivals, list) else [],
        also=also,
    )


_CHECK_ORDER = {"doubtful": 0, "likely": 1}


def _to_check(paragraphs: list[ImportedParagraph]) -> list[int]:
    """Paragraphs whose link a person should look at, the most uncertain first."""
    waiting = [
        p for p in paragraphs if p.confidence in _CHECK_ORDER or (p.also and p.confidence != "confirmed")
    ]
    return [
        p.index for p in sorted(waiting, key=lambda p: (_CHECK_ORDER.get(p.confidence or "", 2), p.index))
    ]


def confirm_import(
    session: Session,
    actor: Actor,
    slug: str,
    corrections: dict[int, str | None],
    review: ImportReview | None = None,
) -> ImportView:
    """Confirm the alignment after corrections: re-point, split, merge, new; confirm doubtful links."""
    review = review or ImportReview()
    process = get_process(session, slug)
    lock_process(session, saved_id(process), exclusive=True)
    view = import_view(session, actor, slug)
    if view.confirmed:
        raise Conflict("this import's alignment is already confirmed; publish it or import again")
    working = find_working_copy(session, process)
    assert working is not None and working.id is not None
    _check_review(session, process, view, review, set(corrections))
    if corrections or review.splits or review.merges:
        _apply_corrections(session, process, working, view, corrections, review)
    if review.preambular is not None:
        _mark_preambular(session, working, set(review.preambular))
    _mark_confirmed(working, {*corrections, *review.splits, *review.merges, *review.confirmed})
    working.source = {**working.source, "alignment_confirmed": True}
    session.add(working)
    session.flush()
    payload = {
        "corrections": {str(i): k for i, k in corrections.items()},
        "splits": {str(i): k for i, k in review.splits.items()},
        "merges": {str(i): k for i, k in review.merges.items()},
        "confirmed": sorted(review.confirmed),
        **({"preambular": sorted(review.preambular)} if review.preambular is not None else {}),
    }
    record_event(session, actor, "revision.import_confirmed", "revision", working.id, payload, process.id)
    return import_view(session, actor, slug)


def _check_review(
    session: Session, process: Process, view: ImportView, review: ImportReview, corrected: set[int]
) -> None:
    """Refuse a split, merge or confirmation that names no paragraph of either revision."""
    count = len(view.paragraphs)
    for index in [*review.splits, *review.merges, *review.confirmed, *(review.preambular or [])]:
        if not 0 <= index < count:
            raise InvalidInput(f"the imported draft has no paragraph {index}")
    for index, key in review.splits.items():
        if view.paragraphs[index].continues == key and index not in corrected:
            raise InvalidInput(
                f"paragraph {index} already continues {key}; a part split from it is another paragraph"
            )
    named = {*review.splits.values(), *(k for keys in review.merges.values() for k in keys)}
    previous = latest_published_revision(session, process)
    old_keys = (
        {p.key for _v, p in paragraph_rows(session, previous.id)} if previous and previous.id else set()
    )
    unknown = sorted(named - old_keys)
    if unknown:
        raise InvalidInput(f"not paragraphs of the previous revision: {', '.join(unknown)}")


def _mark_preambular(session: Session, working: Revision, indices: set[int]) -> None:
    """The paragraphs a person marked preambular are; every other one is operative."""
    for version, _paragraph in paragraph_rows(session, saved_id(working)):
        version.preambular = version.position in indices and version.kind != ParagraphKind.HEADING
        session.add(version)
    session.flush()


def _mark_confirmed(working: Revision, indices: set[int]) -> None:
    """A link a person set or looked at and kept is no longer the engine's guess."""
    evidence: list[Evidence | None] = list(working.source.get("evidence", []))
    for index in indices:
        while len(evidence) <= index:
            evidence.append(None)
        before = evidence[index] or {}
        reasons = before.get("reasons", [])
        kept = [str(r) for r in reasons] if isinstance(reasons, list) else []
        evidence[index] = {**before, "confidence": "confirmed", "reasons": ["confirmed by a person", *kept]}
    working.source = {**working.source, "evidence": evidence}


def _corrected_targets(
    session: Session, process: Process, view: ImportView, corrections: dict[int, str | None]
) -> list[str | None]:
    targets = [p.continues for p in view.paragraphs]
    for index, key in corrections.items():
        if not 0 <= index < len(targets):
            raise InvalidInput(f"the imported draft has no paragraph {index}")
        targets[index] = key
    keys = [k for k in targets if k is not None]
    if len(keys) != len(set(keys)):
        raise InvalidInput("two imported paragraphs cannot both continue the same paragraph")
    previous = latest_published_revision(session, process)
    old_keys = (
        {p.key for _v, p in paragraph_rows(session, previous.id)} if previous and previous.id else set()
    )
    unknown = sorted(set(keys) - old_keys)
    if unknown:
        raise InvalidInput(f"not paragraphs of the previous revision: {', '.join(unknown)}")
    return targets


def _apply_corrections(
    session: Session,
    process: Process,
    working: Revision,
    view: ImportView,
    corrections: dict[int, str | None],
    review: ImportReview,
) -> None:
    """Re-point only the corrected paragraphs; everything else of each version is kept as it is."""
    assert working.id is not None
    targets = _corrected_targets(session, process, view, corrections)
    rows = paragraph_rows(session, working.id)
    by_key = {
        p.key: p for p in session.exec(select(Paragraph).where(Paragraph.process_id == process.id)).all()
    }
    moved = [(rows[i][0], rows[i][1], targets[i]) for i in sorted(corrections)]
    # Delete and re-add the corrected versions: re-pointing in place could collide on (revision, paragraph).
    copies = [(_copy_version(version), paragraph, key) for version, paragraph, key in moved]
    for version, _paragraph, _key in moved:
        session.delete(version)
    session.flush()
    taken = set(by_key)
    for copy, paragraph, key in copies:
        keeps_new_identity = key is None and paragraph.origin_revision_id == working.id
        target = paragraph if keeps_new_identity else by_key[key] if key else None
        if target is None:
            target = _new_identity(session, process, working, copy.eid, taken)
        copy.paragraph_id = saved_id(target)
        session.add(copy)
    # A correction replaces whatever split or merge the engine had proposed for that paragraph. The
    # links go first: they may name an identity this import created and the correction leaves unused.
    session.exec(delete(ParagraphLink).where(col(ParagraphLink.revision_id) == working.id))
    session.flush()
    _drop_orphans(session, working, [paragraph for _v, paragraph, _k in moved])
    relations = [
        "corrected" if i in corrections else r for i, r in enumerate(working.source.get("relations", []))
    ]
    relations += ["corrected"] * (len(rows) - len(relations))
    changed = {*corrections, *review.splits, *review.merges}
    links = [link for link in working.source.get("links", []) if link["index"] not in changed]
    for index, key in review.splits.items():
        links.append({"index": index, "source": key, "relation": LinkKind.SPLIT})
        relations[index] = f"split from {key}"
    for index, keys in review.merges.items():
        if not keys:
            continue
        links.extend({"index": index, "source": key, "relation": LinkKind.MERGE} for key in keys)
        relations[index] = "merged from " + ", ".join(k for k in [targets[index], *keys] if k)
    working.source = {**working.source, "relations": relations, "links": links}
    _write_links(session, working, [p for _v, p in paragraph_rows(session, working.id)], by_key, links)


def _copy_version(version: ParagraphVersion) -> ParagraphVersion:
    return ParagraphVersion(**version.model_dump(exclude={"id"}))


def _drop_orphans(session: Session, working: Revision, paragraphs: list[Paragraph]) -> None:
    # Identities this import created and no longer uses would otherwise hold their keys forever.
    for paragraph in paragraphs:
        if paragraph.origin_revision_id != working.id:
            continue
        used = session.exec(
            select(ParagraphVersion.id).where(ParagraphVersion.paragraph_id == paragraph.id)
        ).first()
        if used is None:
            session.delete(paragraph)
    session.flush()
