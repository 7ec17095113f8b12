"""Observers' reading of change: compare, a paragraph's lineage, mandate coverage and agreement progress."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from api.db import unit_of_work
from api.domain.errors import NotFound
from api.models import (
    Delegation,
    Mandate,
    MandateElement,
    Paragraph,
    ParagraphLink,
    ParagraphTag,
    ParagraphVersion,
    Process,
    Proposal,
    Revision,
    Ruling,
    User,
    metadata,
)
from api.services import coverage, history
from api.services.actors import PUBLIC, Actor
from api.services.audit import record_event
from api.services.revisions import find_revision, get_process, paragraph_rows

ZERO, REV1, REV2 = "Zero draft", "Rev.1", "Rev.2"
PUBLISHED_AT = datetime(2018, 2, 5, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Para:
    """One paragraph as it stands in one revision of a test draft."""

    key: str
    number: str | None
    text: str
    status: str = "open"
    elements: tuple[str, ...] = ()
    section: str | None = "Commitments"
    kind: str = "paragraph"


TITLE = Para(
    "title", None, "Global compact for safe, orderly and regular migration", kind="heading", section=None
)
ZERO_DRAFT = [
    TITLE,
    Para(
        "pp1",
        "PP1",
        "We, the Heads of State and Government, have gathered in [Marrakesh].",
        "bracketed",
        ("a",),
        "Preamble",
    ),
    Para(
        "op1",
        "1",
        "We commit to save lives and to establish international efforts on missing migrants.",
        elements=("a", "b"),
    ),
    Para(
        "op2",
        "2",
        "We commit to provide accurate and timely information at all stages of migration.",
        "agreed",
        ("b",),
    ),
    Para(
        "op3",
        "3",
        "We commit to strengthen the response to smuggling of migrants. "
        "We commit to eradicate trafficking in persons.",
        elements=("c",),
    ),
    Para("op4", "4", "We commit to manage borders in an integrated manner.", "agreed"),
    Para(
        "op5",
        "5",
        "We commit to use immigration detention only as a measure of last resort.",
        elements=("e",),
    ),
    Para("op6", "6", "We commit to enhance consular protection."),
    Para("op7", "7", "We commit to provide access to basic services for migrants."),
]
REV1_DRAFT = [
    TITLE,
    Para(
        "pp1",
        "PP1",
        "We, the Heads of State and Government, have gathered in Marrakesh.",
        "agreed",
        ("a",),
        "Preamble",
    ),
    Para("op4", "1", "We commit to manage borders in an integrated manner.", "agreed"),
    Para(
        "op1",
        "2",
        "We commit to save lives and to establish international efforts on missing migrants.",
        elements=("a",),
    ),
    Para(
        "op2",
        "3",
        "We commit to provide accurate, timely and accessible information at all stages of migration.",
        "agreed_ad_ref",
        ("b",),
    ),
    Para("op3", "4", "We commit to strengthen the response to smuggling of migrants.", "agreed", ("c",)),
    Para(
        "op3bis",
        "4bis",
        "We commit to eradicate [trafficking in persons][human trafficking].",
        "bracketed",
        ("c",),
    ),
    Para("op6", "5", "We commit to enhance consular protection and to provide access to basic services."),
    Para("op8", "6", "We commit to eliminate all forms of discrimination.", elements=("d",)),
]
REV2_DRAFT = [
    *REV1_DRAFT[:1],
    Para(
        "pp1",
        "PP1",
        "We, the Heads of State and Government, have gathered in Marrakesh, Morocco.",
        "agreed",
        ("a",),
        "Preamble",
    ),
    *REV1_DRAFT[2:],
    Para("op9", "7", "We commit to cooperate on [return and readmission]."),
]
ELEMENTS = [
    ("a", "Saving lives", "拯救生命"),
    ("b", "Information", "提供信息"),
    ("c", "Smuggling and trafficking", "打击偷运和贩运"),
    ("d", "Non-discrimination", "消除歧视"),
    ("e", "Detention", "拘留"),
]


class DraftBuilder:
    """Writes a process, its mandate and revisions straight into the tables."""

    def __init__(self, session: Session, slug: str, language: str) -> None:
        self.session = session
        self.process = Process(slug=slug, title_en=slug.upper(), title_zh=slug, language=language)
        session.add(self.process)
        session.flush()
        self.language = language
        self.paragraphs: dict[str, Paragraph] = {}
        self.elements: dict[str, MandateElement] = {}
        self.revisions: dict[str, Revision] = {}

    @property
    def process_id(self) -> int:
        """The process's id."""
        assert self.process.id is not None
        return self.process.id

    def mandate(self, elements: list[tuple[str, str, str]]) -> None:
        """Give the process a mandate with these (code, label, text) elements."""
        mandate = Mandate(process_id=self.process_id, title_en="Annex II, paragraph 8", source="A/RES/71/1")
        self.session.add(mandate)
        self.session.flush()
        assert mandate.id is not None
        for position, (code, label, text) in enumerate(elements):
            element = MandateElement(
                mandate_id=mandate.id,
                code=code,
                position=position,
                text=text,
                text_language="zh",
                label=label,
            )
            self.session.add(element)
            self.elements[code] = element
        self.session.flush()

    def revision(self, label: str, paragraphs: list[Para], state: str = "published") -> Revision:
        """Add the next revision with these paragraphs, in this order."""
        revision = Revision(
            process_id=self.process_id,
            sequence=len(self.revisions),
            label=label,
            language=self.language,
            state=state,
            published_at=PUBLISHED_AT if state == "published" else None,
        )
        self.session.add(revision)
        self.session.flush()
        for position, para in enumerate(paragraphs):
            self._version(revision, position, para)
        if state == "published":  # sealed by a publication, as Accord's publishing does
            seal = {"label": label, "content_hash": None}
            record_event(
                self.session, BUILDER, "revision.published", "revision", revision.id, seal, self.process_id
            )
        self.revisions[label] = revision
        return revision

    def _version(self, revision: Revision, position: int, para: Para) -> None:
        paragraph = self.paragraphs.get(para.key)
        if paragraph is None:
            paragraph = Paragraph(process_id=self.process_id, key=para.key, wid=f"para_{para.key}")
            self.session.add(paragraph)
            self.session.flush()
            self.paragraphs[para.key] = paragraph
        version = ParagraphVersion(
            revision_id=revision.id or 0,
            paragraph_id=paragraph.id or 0,
            position=position,
            part="front" if para.kind == "heading" else "body",
            section=para.section,
            kind=para.kind,
            number=para.number,
            eid=f"para_{para.number or para.key}",
            text=para.text,
            status=para.status,
        )
        self.session.add(version)
        self.session.flush()
        for code in para.elements:
            self.session.add(
                ParagraphTag(paragraph_version_id=version.id or 0, element_id=self.elements[code].id or 0)
            )
        self.session.flush()

    def link(self, label: str, key: str, source: str, relation: str) -> None:
        """Record that `key` was split from, or merged out of, `source` in a revision."""
        self.session.add(
            ParagraphLink(
                revision_id=self.revisions[label].id or 0,
                paragraph_id=self.paragraphs[key].id or 0,
                source_paragraph_id=self.paragraphs[source].id or 0,
                relation=relation,
            )
        )
        self.session.flush()


BUILDER = Actor(user_id=None, username="test-builder")


def build_gcm(session: Session) -> DraftBuilder:
    """A GCM draft: Zero draft and Rev.1 published, Rev.2 in the working copy, with a split and a merge."""
    draft = DraftBuilder(session, "gcm", "en")
    draft.mandate(ELEMENTS)
    draft.revision(ZERO, ZERO_DRAFT)
    draft.revision(REV1, REV1_DRAFT)
    draft.link(REV1, "op3bis", "op3", "split")
    draft.link(REV1, "op6", "op7", "merge")
    draft.revision(REV2, REV2_DRAFT, state="working")
    return draft


def add_proposals(session: Session, draft: DraftBuilder) -> None:
    """Two proposals on OP2 of the Zero draft (China's, accepted; Brazil's for the G77, rejected)."""
    codes = {"CHN": "member_state", "BRA": "member_state", "G77": "group"}
    delegations = {
        code: Delegation(code=code, kind=kind, name_en=code, name_zh=code) for code, kind in codes.items()
    }
    session.add_all(delegations.values())
    author = User(username="cofac", display_name="Co-facilitator", password_hash="x")
    session.add(author)
    session.flush()
    ids = {code: delegation.id or 0 for code, delegation in delegations.items()}
    proposal = ProposalMaker(draft, author.id or 0)
    china = proposal("op2", "amend", ids["CHN"], "accepted", datetime(2018, 2, 20, 9, 30, tzinfo=UTC))
    brazil = proposal("op2", "delete", ids["BRA"], "rejected", datetime(2018, 2, 21, 10, 0, tzinfo=UTC))
    brazil.on_behalf_of_id = ids["G77"]
    elsewhere = proposal("op1", "amend", ids["CHN"], "submitted", datetime(2018, 2, 22, 10, 0, tzinfo=UTC))
    session.add_all([china, brazil, elsewhere])
    session.flush()
    rulings = [
        (china, "accept", "Widely supported.", datetime(2018, 3, 1, 15, 0, tzinfo=UTC)),
        (brazil, "reject", "The paragraph is agreed.", datetime(2018, 3, 2, 15, 0, tzinfo=UTC)),
    ]
    for ruled, decision, reason, ruled_at in rulings:
        session.add(
            Ruling(
                proposal_id=ruled.id or 0,
                decision=decision,
                reason=reason,
                ruled_by_id=author.id or 0,
                ruled_at=ruled_at,
            )
        )
    session.flush()


@dataclass(frozen=True)
class ProposalMaker:
    """Makes proposals on paragraphs of a draft's Zero draft."""

    draft: DraftBuilder
    author_id: int

    def __call__(self, key: str, action: str, sponsor_id: int, state: str, created_at: datetime) -> Proposal:
        """A proposal by one delegation on one paragraph."""
        return Proposal(
            process_id=self.draft.process_id,
            base_revision_id=self.draft.revisions[ZERO].id or 0,
            paragraph_id=self.draft.paragraphs[key].id or 0,
            action=action,
            sponsor_id=sponsor_id,
            author_id=self.author_id,
            state=state,
            created_at=created_at,
        )


def empty_tables(engine: Engine) -> None:
    """Delete every row, children first (SQLite ignores PRAGMA foreign_keys inside a transaction)."""
    with engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def db(engine: Engine) -> Iterator[Engine]:
    """The test's engine, emptied children first afterwards."""
    yield engine
    empty_tables(engine)


@pytest.fixture
def gcm(db: Engine) -> Engine:
    """An engine holding the GCM test draft and two proposals."""
    with unit_of_work(db) as session:
        add_proposals(session, build_gcm(session))
    return db


def cofacilitator_of(process_id: int) -> Actor:
    """A co-facilitator of the process."""
    return Actor(user_id=1, username="cofac-mex", grants=frozenset({(process_id, "cofacilitator")}))


DELEGATE = Actor(
    user_id=2, username="delegate-chn", delegation_code="CHN", grants=frozenset({(None, "delegation")})
)


def process_id(session: Session, slug: str = "gcm") -> int:
    """The id of a test process."""
    return get_process(session, slug).id or 0


# --- compare -----------------------------------------------------------------------------------------


def test_compare_matches_paragraphs_by_identity_and_lineage(gcm: Engine) -> None:
    with unit_of_work(gcm, write=False) as session:
        comparison = history.compare_revisions(session, PUBLIC, "gcm", ZERO, REV1)
    rows = [
        (c.key, c.change, c.old_number, c.new_number, c.old_position, c.new_position, c.came_from)
        for c in comparison.paragraphs
    ]
    assert rows == [
        ("title", "unchanged", None, None, 0, 0, []),
        ("pp1", "modified", "PP1", "PP1", 1, 1, []),
        ("op4", "moved", "4", "1", 5, 2, []),
        ("op1", "unchanged", "1", "2", 2, 3, []),
        ("op2", "modified", "2", "3", 3, 4, []),
        ("op3", "split", "3", "4", 4, 5, ["op3"]),
        ("op5", "deleted", "5", None, 6, None, []),
        ("op3bis", "split", "3", "4bis", 4, 6, ["op3"]),
        ("op6", "merged", "6", "5", 7, 7, ["op6", "op7"]),
        ("op8", "inserted", None, "6", None, 8, []),
    ]
    assert comparison.summary.model_dump() == {
        "unchanged": 2,
        "status_changed": 0,
        "modified": 2,
        "moved": 1,
        "moved_and_modified": 0,
        "inserted": 1,
        "deleted": 1,
        "split": 2,
        "merged": 1,
    }
    assert (comparison.from_revision.label, comparison.to_revision.label) == (ZERO, REV1)


def test_compare_gives_the_redline_of_each_paragraph(gcm: Engine) -> None:
    with unit_of_work(gcm, write=False) as session:
        changes = {c.key: c for c in history.compare_revisions(session, PUBLIC, "gcm", ZERO, REV1).paragraphs}
    ops = {key: [(op.kind, op.text) for op in change.redline] for key, change in changes.items()}
    assert ops["pp1"] == [
        ("equal", "We, the Heads of State and Government, have gathered in "),
        ("delete", "["),
        ("equal", "Marrakesh"),
        ("delete", "]"),
        ("equal", "."),
    ]
    assert ops["op2"] == [
        ("equal", "We commit to provide accurate"),
        ("insert", ", timely"),
        ("equal", " and "),
        ("delete", "timely"),
        ("insert", "accessible"),
        ("equal", " information at all stages of migration."),
    ]
    assert ops["op4"] == [("equal", "We commit to manage borders in an integrated manner.")]
    assert ops["op3bis"] == [
        ("equal", "We commit to "),
        ("delete", "strengthen the response to smuggling of migrants. We commit to "),
        ("equal", "eradicate "),
        # Newly bracketed words are struck and inserted with their brackets, never split round.
        ("delete", "trafficking in persons"),
        ("insert", "[trafficking in persons][human trafficking]"),
        ("equal", "."),
    ]
    assert ops["op6"] == [
        ("equal", "We commit to enhance consular protection"),
        ("delete", ". We commit"),
        ("insert", " and"),
        ("equal", " to provide access to basic services"),
        ("delete", " for migrants"),
        ("equal", "."),
    ]
    assert ops["op5"] == [
        ("delete", "We commit to use immigration detention only as a measure of last resort.")
    ]
    assert ops["op8"] == [("insert", "We commit to eliminate all forms of discrimination.")]


def test_compare_read_backwards_turns_splits_into_merges(gcm: Engine) -> None:
    with unit_of_work(gcm, write=False) as session:
        comparison = history.compare_revisions(session, PUBLIC, "gcm", REV1, ZERO)
    kinds = {c.key: (c.change, c.came_from) for c in comparison.paragraphs}
    assert kinds["op3"] == ("merged", ["op3", "op3bis"])
    assert kinds["op6"] == ("split", ["op6"]) and kinds["op7"] == ("split", ["op6"])
    assert kinds["op5"] == ("inserted", []) and kinds["op8"] == ("deleted", [])
    assert comparison.summary.split == 2 and comparison.summary.merged == 1 and comparison.summary.moved == 1


def test_compare_with_the_working_copy_is_for_co_facilitators_only(gcm: Engine) -> None:
    with unit_of_work(gcm, write=False) as session:
        with pytest.raises(NotFound, match=re.escape("process 'gcm' has no revision 'Rev.2'")):
            history.compare_revisions(session, PUBLIC, "gcm", REV1, REV2)
        comparison = history.compare_revisions(
            session, cofacilitator_of(process_id(session)), "gcm", REV1, REV2
        )
    assert [(c.key, c.change) for c in comparison.paragraphs if c.change != "unchanged"] == [
        ("pp1", "modified"),
        ("op9", "inserted"),
    ]


def test_compare_of_a_revision_with_itself_changes_nothing(gcm: Engine) -> None:
    with unit_of_work(gcm, write=False) as session:
        comparison = history.compare_revisions(session, PUBLIC, "gcm", REV1, REV1)
    assert comparison.summary.unchanged == 9 and len(comparison.paragraphs) == 9


def test_compare_redlines_chinese_character_by_character(db: Engine) -> None:
    with unit_of_work(db) as session:
        draft = DraftBuilder(session, "gcr", "zh")
        draft.revision(
            "零草案",
            [
                Para("p1", "1", "各国应当保护所有难民的人权。"),
                Para("p2", "2", "难民问题是国际社会共同关切的问题。"),
            ],
        )
        draft.revision(
            "修订一",
            [
                Para("p1", "1", "各国应当充分保护所有难民和移民的人权。"),
                Para("p3", "2", "各国应当分担责任。"),
            ],
        )
        draft.link("修订一", "p1", "p2", "merge")
    with unit_of_work(db, write=False) as session:
        changes = history.compare_revisions(session, PUBLIC, "gcr", "零草案", "修订一").paragraphs
    assert [(c.key, c.change, c.came_from) for c in changes] == [
        ("p1", "merged", ["p1", "p2"]),
        ("p3", "inserted", []),
    ]
    assert [(op.kind, op.text) for op in changes[0].redline] == [
        ("equal", "各国应当"),
        ("insert", "充分"),
        ("equal", "保护所有难民"),
        ("insert", "和移民"),
        ("equal", "的人权"),
        ("delete", "。难民问题是国际社会共同关切的问题"),
        ("equal", "。"),
    ]


def test_compare_counts_paragraphs_that_became_agreed_as_status_changes(db: Engine) -> None:
    same = "We commit to enhance consular protection."
    with unit_of_work(db) as session:
        draft = DraftBuilder(session, "gcm", "en")
        draft.revision(
            ZERO,
            [
                Para("op1", "1", same),
                Para("op2", "2", "[Return] and readmission."),
                Para("op3", "3", "Data."),
            ],
        )
        draft.revision(
            REV1,
            [
                Para("op1", "1", same, "agreed_ad_ref"),
                Para("op2", "2", "Return and readmission.", "agreed"),
                Para("op3", "3", "Data."),
            ],
        )
    with unit_of_work(db, write=False) as session:
        comparison = history.compare_revisions(session, PUBLIC, "gcm", ZERO, REV1)
    assert [(c.key, c.change, c.old_status, c.new_status) for c in comparison.paragraphs] == [
        ("op1", "status_changed", "open", "agreed_ad_ref"),
        ("op2", "modified", "bracketed", "agreed"),
        ("op3", "unchanged", "open", "open"),
    ]
    assert (comparison.summary.unchanged, comparison.summary.status_changed) == (1, 1)


def test_compare_refuses_unknown_processes_and_revisions(gcm: Engine) -> None:
    with unit_of_work(gcm, write=False) as session:
        with pytest.raises(NotFound, match="no process 'nope'"):
            history.compare_revisions(session, PUBLIC, "nope", ZERO, REV1)
        with pytest.raises(NotFound, match=re.escape("process 'gcm' has no revision 'Rev.9'")):
            history.compare_revisions(session, PUBLIC, "gcm", ZERO, "Rev.9")


# --- a paragraph's history ---------------------------------------------------------------------------


def test_history_follows_a_paragraph_through_the_published_revisions(gcm: Engine) -> None:
    with unit_of_work(gcm, write=False) as session:
        story = history.paragraph_history(session, PUBLIC, "gcm", "op2")
    assert (story.process, story.key, story.wid) == ("gcm", "op2", "para_op2")
    assert [
        (a.revision.label, a.number, a.status, a.elements, a.previous_revision, a.changed)
        for a in story.appearances
    ] == [
        (ZERO, "2", "agreed", ["b"], None, False),
        (REV1, "3", "agreed_ad_ref", ["b"], ZERO, True),
    ]
    first, second = story.appearances
    assert first.text == "We commit to provide accurate and timely information at all stages of migration."
    assert first.redline == []
    assert [(op.kind, op.text) for op in second.redline] == [
        ("equal", "We commit to provide accurate"),
        ("insert", ", timely"),
        ("equal", " and "),
        ("delete", "timely"),
        ("insert", "accessible"),
        ("equal", " information at all stages of migration."),
    ]
    assert second.revision.published_at == PUBLISHED_AT
    assert story.lineage == []


def test_history_shows_splits_and_merges_from_both_sides(gcm: Engine) -> None:
    with unit_of_work(gcm, write=False) as session:
        lineage = {
            key: [
                (link.revision, link.relation, link.key)
                for link in history.paragraph_history(session, PUBLIC, "gcm", key).lineage
            ]
            for key in ("op3", "op3bis", "op6", "op7")
        }
    assert lineage == {
        "op3": [(REV1, "split_into", "op3bis")],
        "op3bis": [(REV1, "split_from", "op3")],
        "op6": [(REV1, "merged_from", "op7")],
        "op7": [(REV1, "merged_into", "op6")],
    }


def test_history_shows_the_working_copy_to_co_facilitators_only(gcm: Engine) -> None:
    with unit_of_work(gcm, write=False) as session:
        public = history.paragraph_history(session, PUBLIC, "gcm", "pp1")
        cofacilitator = cofacilitator_of(process_id(session))
        private = history.paragraph_history(session, cofacilitator, "gcm", "pp1")
        new_paragraph = history.paragraph_history(session, cofacilitator, "gcm", "op9")
        with pytest.raises(NotFound, match="process 'gcm' has no paragraph 'op9'"):
            history.paragraph_history(session, PUBLIC, "gcm", "op9")
    assert [a.revision.label for a in public.appearances] == [ZERO, REV1]
    assert [(a.revision.label, a.revision.state) for a in private.appearances][-1] == (REV2, "working")
    assert [(op.kind, op.text) for op in private.appearances[-1].redline] == [
        ("equal", "We, the Heads of State and Government, have gathered in Marrakesh"),
        ("insert", ", Morocco"),
        ("equal", "."),
    ]
    assert [(a.revision.label, a.number, a.previous_revision) for a in new_paragraph.appearances] == [
        (REV2, "7", None)
    ]


def test_history_lists_proposals_and_rulings_to_delegations(gcm: Engine) -> None:
    with unit_of_work(gcm, write=False) as session:
        story = history.paragraph_history(session, DELEGATE, "gcm", "op2")
    assert story.proposals_visible
    assert [p.model_dump(exclude={"id"}) for p in story.proposals] == [
        {
            "action": "amend",
            "sponsor": "CHN",
            "on_behalf_of": None,
            "on_behalf_of_names": None,
            "state": "accepted",
            "base_revision": ZERO,
            "created_at": datetime(2018, 2, 20, 9, 30, tzinfo=UTC),
            "rulings": [
                {
                    "decision": "accept",
                    "reason": "Widely supported.",
                    "ruled_at": datetime(2018, 3, 1, 15, 0, tzinfo=UTC),
                }
            ],
        },
        {
            "action": "delete",
            "sponsor": "BRA",
            "on_behalf_of": "G77",
            "on_behalf_of_names": {"name_en": "G77", "name_zh": "G77"},
            "state": "rejected",
            "base_revision": ZERO,
            "created_at": datetime(2018, 2, 21, 10, 0, tzinfo=UTC),
            "rulings": [
                {
                    "decision": "reject",
                    "reason": "The paragraph is agreed.",
                    "ruled_at": datetime(2018, 3, 2, 15, 0, tzinfo=UTC),
                }
            ],
        },
    ]


def test_history_keeps_proposals_from_the_public_until_the_compilation_is_released(gcm: Engine) -> None:
    with unit_of_work(gcm) as session:
        before = history.paragraph_history(session, PUBLIC, "gcm", "op2")
        get_process(session, "gcm").compilation_released_at = datetime(2018, 3, 5, tzinfo=UTC)
        session.flush()
        after = history.paragraph_history(session, PUBLIC, "gcm", "op2")
    assert (before.proposals_visible, before.proposals) == (False, [])
    assert after.proposals_visible and [p.sponsor for p in after.proposals] == ["CHN", "BRA"]


def test_history_of_an_unknown_paragraph_is_not_found(gcm: Engine) -> None:
    with (
        unit_of_work(gcm, write=False) as session,
        pytest.raises(NotFound, match="process 'gcm' has no paragraph 'op99'"),
    ):
        history.paragraph_history(session, PUBLIC, "gcm", "op99")


# --- mandate coverage --------------------------------------------------------------------------------


def test_coverage_lists_each_element_with_its_paragraphs(gcm: Engine) -> None:
    with unit_of_work(gcm, write=False) as session:
        latest = coverage.revision_coverage(session, PUBLIC, "gcm", None)
        zero = coverage.revision_coverage(session, PUBLIC, "gcm", ZERO)
    assert latest.revision.label == REV1
    assert [(e.code, e.covered, [(p.key, p.number) for p in e.paragraphs]) for e in latest.elements] == [
        ("a", True, [("pp1", "PP1"), ("op1", "2")]),
        ("b", True, [("op2", "3")]),
        ("c", True, [("op3", "4"), ("op3bis", "4bis")]),
        ("d", True, [("op8", "6")]),
        ("e", False, []),
    ]
    assert (latest.covered_count, latest.element_count) == (4, 5)
    assert (latest.elements[0].label, latest.elements[0].text) == ("Saving lives", "拯救生命")
    assert [(e.code, [p.key for p in e.paragraphs]) for e in zero.elements if e.covered] == [
        ("a", ["pp1", "op1"]),
        ("b", ["op1", "op2"]),
        ("c", ["op3"]),
        ("e", ["op5"]),
    ]


def test_coverage_compare_shows_elements_gained_lost_and_reworded(gcm: Engine) -> None:
    with unit_of_work(gcm, write=False) as session:
        comparison = coverage.compare_coverage(session, PUBLIC, "gcm", ZERO, REV1)
    assert [(e.code, [(p.key, p.number) for p in e.paragraphs]) for e in comparison.gained] == [
        ("d", [("op8", "6")])
    ]
    assert [(e.code, [(p.key, p.number) for p in e.paragraphs]) for e in comparison.lost] == [
        ("e", [("op5", "5")])
    ]
    reworded = [
        (e.code, [(p.key, p.old_number, p.new_number) for p in e.paragraphs]) for e in comparison.reworded
    ]
    assert reworded == [
        ("a", [("pp1", "PP1", "PP1")]),
        ("b", [("op2", "2", "3")]),
        ("c", [("op3", "3", "4"), ("op3bis", None, "4bis")]),
    ]
    new_part = comparison.reworded[2].paragraphs[1]
    assert [(op.kind, op.text) for op in new_part.redline] == [
        ("insert", "We commit to eradicate [trafficking in persons][human trafficking].")
    ]


def test_coverage_matrix_counts_paragraphs_per_element_and_published_revision(gcm: Engine) -> None:
    with unit_of_work(gcm, write=False) as session:
        matrix = coverage.coverage_matrix(session, "gcm")
    assert [r.label for r in matrix.revisions] == [ZERO, REV1]
    assert [(row.code, row.label, row.counts) for row in matrix.elements] == [
        ("a", "Saving lives", [2, 2]),
        ("b", "Information", [2, 1]),
        ("c", "Smuggling and trafficking", [1, 2]),
        ("d", "Non-discrimination", [0, 1]),
        ("e", "Detention", [1, 0]),
    ]
    assert (matrix.covered, matrix.element_count) == ([4, 4], 5)
    # Headings aside, 8 paragraphs each; 5 of the Zero draft's and 6 of Rev.1's carry a tag.
    assert (matrix.paragraph_counts, matrix.tagged_counts) == ([8, 8], [5, 6])


def test_a_revision_nobody_tagged_is_not_tagged_rather_than_covering_nothing(db: Engine) -> None:
    with unit_of_work(db) as session:
        draft = DraftBuilder(session, "gcm", "en")
        draft.mandate(ELEMENTS)
        draft.revision(ZERO, [TITLE, Para("op1", "1", "Save lives."), Para("op2", "2", "Inform.")])
        draft.revision(
            REV1, [TITLE, Para("op1", "1", "Save lives.", elements=("a",)), Para("op2", "2", "Inform.")]
        )
    with unit_of_work(db, write=False) as session:
        matrix = coverage.coverage_matrix(session, "gcm")
        zero = coverage.revision_coverage(session, PUBLIC, "gcm", ZERO)
    assert (matrix.covered, matrix.tagged_counts, matrix.paragraph_counts) == ([0, 1], [0, 1], [2, 2])
    assert (zero.covered_count, zero.tagged_paragraph_count, zero.paragraph_count) == (0, 0, 2)


def test_coverage_of_a_working_copy_is_for_co_facilitators_only(gcm: Engine) -> None:
    with unit_of_work(gcm, write=False) as session:
        with pytest.raises(NotFound, match=re.escape("process 'gcm' has no revision 'Rev.2'")):
            coverage.revision_coverage(session, PUBLIC, "gcm", REV2)
        working = coverage.revision_coverage(session, cofacilitator_of(process_id(session)), "gcm", REV2)
    assert working.revision.state == "working" and working.covered_count == 4


# --- agreement progress ------------------------------------------------------------------------------


def test_progress_counts_brackets_and_statuses_per_revision_and_section(gcm: Engine) -> None:
    with unit_of_work(gcm, write=False) as session:
        progress = coverage.agreement_progress(session, "gcm")
    assert [r.revision.label for r in progress.revisions] == [ZERO, REV1]
    zero, rev1 = progress.revisions
    assert zero.tally.model_dump() == {
        "paragraph_count": 8,
        "statuses": {"open": 5, "bracketed": 1, "agreed_ad_ref": 0, "agreed": 2},
        "share_agreed": 0.25,
        "bracket_segments": 1,
        "bracketed_chars": len("Marrakesh"),
        "total_chars": sum(len(p.text) for p in ZERO_DRAFT[1:]),
    }
    assert rev1.tally.model_dump() == {
        "paragraph_count": 8,
        "statuses": {"open": 3, "bracketed": 1, "agreed_ad_ref": 1, "agreed": 3},
        "share_agreed": 0.5,
        "bracket_segments": 2,
        "bracketed_chars": len("trafficking in persons") + len("human trafficking"),
        "total_chars": sum(len(p.text) for p in REV1_DRAFT[1:]),
    }
    assert [
        (s.part, s.section, s.tally.paragraph_count, s.tally.bracket_segments) for s in rev1.sections
    ] == [
        ("body", "Preamble", 1, 0),
        ("body", "Commitments", 7, 2),
    ]


def test_progress_of_a_process_without_revisions_is_empty(db: Engine) -> None:
    with unit_of_work(db) as session:
        DraftBuilder(session, "gcr", "en")
        assert coverage.agreement_progress(session, "gcr").revisions == []
        assert coverage.coverage_matrix(session, "gcr").model_dump() == {
            "process": "gcr",
            "revisions": [],
            "elements": [],
            "covered": [],
            "element_count": 0,
            "paragraph_counts": [],
            "tagged_counts": [],
        }


# --- on the seeded Declaration -----------------------------------------------------------------------

NYD = "Adopted text"
BODY_2_REVISED = "我们今天审议了国际社会应如何以最佳方式应对难民和移民大规模流动这一全球现象。"


@pytest.fixture
def nyd(seeded_engine: Engine) -> Iterator[Engine]:
    """The seeded Declaration with a Rev.1 on top: paragraph 2 reworded and agreed, paragraph 3 dropped."""
    with unit_of_work(seeded_engine) as session:
        process = get_process(session, "nyd")
        adopted = find_revision(session, PUBLIC, process, NYD)
        rev1 = Revision(process_id=process.id or 0, sequence=1, label=REV1, language="zh", state="published")
        session.add(rev1)
        session.flush()
        rows = [(v, p) for v, p in paragraph_rows(session, adopted.id or 0) if p.key != "body-3"]
        for position, (version, paragraph) in enumerate(rows):
            revised = paragraph.key == "body-2"
            copy = version.model_dump(exclude={"id", "revision_id", "position", "text", "status"})
            text = BODY_2_REVISED if revised else version.text
            status = "agreed" if revised else version.status
            session.add(
                ParagraphVersion(
                    **copy, revision_id=rev1.id or 0, position=position, text=text, status=status
                )
            )
        session.flush()
    yield seeded_engine
    empty_tables(seeded_engine)


def test_compare_on_the_declaration_shows_one_reworded_and_one_dropped_paragraph(nyd: Engine) -> None:
    with unit_of_work(nyd, write=False) as session:
        comparison = history.compare_revisions(session, PUBLIC, "nyd", NYD, REV1)
        progress = coverage.agreement_progress(session, "nyd")
    changed = [
        (c.key, c.change, c.old_number, c.new_number)
        for c in comparison.paragraphs
        if c.change != "unchanged"
    ]
    assert changed == [("body-2", "modified", "2", "2"), ("body-3", "deleted", "3", None)]
    assert comparison.summary.unchanged == len(comparison.paragraphs) - 2
    # The revision counts its paragraphs as Progress does: headings are not negotiated paragraphs.
    assert comparison.from_revision.paragraph_count == progress.revisions[0].tally.paragraph_count
    body_2 = next(c for c in comparison.paragraphs if c.key == "body-2")
    assert [(op.kind, op.text) for op in body_2.redline] == [
        ("equal", "我们今天审议了国际社会应如何"),
        ("delete", "最好地"),
        ("insert", "以最佳方式"),
        ("equal", "应对难民和移民大规模流动这一"),
        ("delete", "愈演愈烈的"),
        ("equal", "全球现象。"),
    ]
    adopted, revised = (r.tally for r in progress.revisions)
    assert revised.statuses.agreed == adopted.statuses.agreed + 1
    assert revised.paragraph_count == adopted.paragraph_count - 1


def test_coverage_of_a_process_with_no_published_revision_is_not_found(nyd: Engine) -> None:
    with unit_of_work(nyd, write=False) as session:
        with pytest.raises(NotFound, match="process 'gcm' has no published revision"):
            coverage.revision_coverage(session, PUBLIC, "gcm", None)
        matrix = coverage.coverage_matrix(session, "gcm")
    assert (matrix.revisions, matrix.element_count, len(matrix.elements)) == ([], 24, 24)
    assert matrix.elements[0].counts == []
