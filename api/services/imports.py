"""Importing a revision from a text or Markdown file, aligned to the previous one so lineage continues."""

import hashlib

from sqlmodel import Session, col, delete, select

from api.domain.errors import Conflict, Forbidden, InvalidInput
from api.domain.numbering import citation
from api.domain.structure.ids import KEY_MAX, WID_MAX, fit, key_for
from api.domain.structure.outline import StructuredParagraph
from api.domain.structure.plain import parse_plain
from api.domain.text import align
from api.domain.text_input import decode_text
from api.models import Paragraph, ParagraphLink, ParagraphVersion, Process, Revision
from api.services.actors import Actor, require_authenticated
from api.services.audit import record_event
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
    if not filename.lower().endswith((".txt", ".md", ".markdown", ".text")):
        raise InvalidInput(f"{filename}: import takes .txt or .md files (DOCX is not supported yet)")
    blocks = parse_plain(decode_text(data, filename))
    lock_process(session, process.id or 0, exclusive=True)
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


def _new_working_revision(
    session: Session, process: Process, previous: Revision | None, filename: str
) -> Revision:
    sequence = previous.sequence + 1 if previous else 0
    working = Revision(
        process_id=process.id or 0,
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
    alignment = align(
        [v.text for v, _p in old],
        [b.text for b in blocks],
        old_places=[v.number for v, _p in old],
        new_places=[b.number for b in blocks],
    )
    keys = [p.key for _v, p in old]
    for pair in alignment.pairs:
        mapping[pair.new], relations[pair.new] = keys[pair.old], pair.kind
    for split in alignment.splits:
        # The identity goes to the part that carries the text, not to a bare label before it.
        heir = split.new[0] if split.heir is None else split.heir
        mapping[heir], relations[heir] = keys[split.old], "split"
        for index in split.new:
            if index != heir:
                relations[index] = f"split from {keys[split.old]}"
                links.append({"index": index, "source": keys[split.old], "relation": "split"})
    for merged in alignment.merges:
        heir = merged.old[0] if merged.heir is None else merged.heir
        mapping[merged.new] = keys[heir]
        relations[merged.new] = "merged from " + ", ".join(keys[i] for i in merged.old)
        links.extend(
            {"index": merged.new, "source": keys[i], "relation": "merge"} for i in merged.old if i != heir
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
    for position, (block, key) in enumerate(zip(blocks, mapping, strict=True)):
        paragraph = by_key[key] if key else _new_identity(session, process, working, block.eid, taken_keys)
        identities.append(paragraph)
        session.add(
            ParagraphVersion(
                revision_id=working.id or 0,
                paragraph_id=paragraph.id or 0,
                position=position,
                part="body",
                section=block.section,
                kind=block.kind,
                number=block.number,
                eid=block.eid,
                text=block.text,
                footnotes=[{"marker": f.marker, "text": f.text} for f in block.footnotes],
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
            revision_id=working.id or 0,
            paragraph_id=identities[int(link["index"])].id or 0,
            source_paragraph_id=by_key[str(link["source"])].id or 0,
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
        process_id=process.id or 0, key=key, wid=fit(eid, WID_MAX), origin_revision_id=working.id
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
    return ImportView(
        process=slug,
        working_label=working.label,
        previous=previous.label if previous else None,
        confirmed=bool(working.source.get("alignment_confirmed")),
        paragraphs=[
            ImportedParagraph(
                index=i,
                key=p.key,
                eid=v.eid,
                kind=v.kind,
                number=v.number,
                citation=citation(v.number, v.kind),
                text=v.text,
                continues=p.key if p.origin_revision_id != working.id else None,
                relation=relations[i] if i < len(relations) else "corrected",
            )
            for i, (v, p) in enumerate(rows)
        ],
        deleted=[p.key for _v, p in old if p.key not in kept],
    )


def confirm_import(
    session: Session, actor: Actor, slug: str, corrections: dict[int, str | None]
) -> ImportView:
    """Confirm the alignment after re-pointing paragraphs to the old key they continue, or none."""
    process = get_process(session, slug)
    lock_process(session, process.id or 0, exclusive=True)
    view = import_view(session, actor, slug)
    if view.confirmed:
        raise Conflict("this import's alignment is already confirmed; publish it or import again")
    working = find_working_copy(session, process)
    assert working is not None and working.id is not None
    if corrections:
        _apply_corrections(session, process, working, view, corrections)
    working.source = {**working.source, "alignment_confirmed": True}
    session.add(working)
    session.flush()
    payload = {"corrections": {str(i): k for i, k in corrections.items()}}
    record_event(session, actor, "revision.import_confirmed", "revision", working.id, payload, process.id)
    return import_view(session, actor, slug)


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
        copy.paragraph_id = target.id or 0
        session.add(copy)
    # A correction replaces whatever split or merge the engine had proposed for that paragraph. The
    # links go first: they may name an identity this import created and the correction leaves unused.
    session.exec(delete(ParagraphLink).where(col(ParagraphLink.revision_id) == working.id))
    session.flush()
    _drop_orphans(session, working, [paragraph for _v, paragraph, _k in moved])
    relations = [
        "corrected" if i in corrections else r for i, r in enumerate(working.source.get("relations", []))
    ]
    links = [link for link in working.source.get("links", []) if link["index"] not in corrections]
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
