"""The negotiation rules without a database: the proposal life cycle and a paragraph's status."""

import pytest

from api.domain import negotiation
from api.domain.errors import InvalidInput, InvalidTransition
from api.domain.negotiation import (
    Decision,
    ParagraphKind,
    ParagraphStatus,
    ProposalAction,
    ProposalState,
    RebaseStatus,
    check_transition,
    describe_brackets,
    effective_status,
    settle_status,
    states,
)


def test_the_status_follows_the_brackets() -> None:
    assert effective_status("Text [x].", "agreed") == ParagraphStatus.BRACKETED
    assert effective_status("Text [x].", "open") == ParagraphStatus.BRACKETED
    assert effective_status("Clean.", "agreed") == ParagraphStatus.AGREED
    assert effective_status("Clean.", "no such status") == ParagraphStatus.OPEN
    assert settle_status("Clean.", None, "agreed_ad_ref") == ParagraphStatus.AGREED_AD_REF
    assert settle_status("Now [x].", None, "agreed") == ParagraphStatus.BRACKETED


def test_asking_for_agreement_over_brackets_names_them() -> None:
    with pytest.raises(InvalidInput, match=r"agreed: it still holds «\[a\]», «\[b\]», «\[c\]» and 2"):
        settle_status("[a] [b] [c] [d] [e]", "agreed", "open")
    with pytest.raises(InvalidInput, match="cannot be agreed ad ref"):
        settle_status("Unclosed [text.", "agreed_ad_ref", "open")
    assert describe_brackets("One ] stray") == "it still holds an unmatched «]» at character 5"


def test_decided_proposals_stay_decided() -> None:
    check_transition(ProposalState.DEFERRED, ProposalState.ACCEPTED)
    with pytest.raises(InvalidTransition, match="rejected cannot become accepted"):
        check_transition("rejected", "accepted")
    with pytest.raises(InvalidTransition):
        check_transition("no such state", "accepted")


def test_every_state_the_rules_name_has_words_in_the_interface() -> None:
    # Labels are keyed by the enums; a state added to the rules must get its words before it can be shown.
    from web.labels import ACTION, DECISION, KIND, PARAGRAPH_STATUS, PROPOSAL_STATE, REBASE_STATUS

    for enum, labels in [
        (ParagraphStatus, PARAGRAPH_STATUS),
        (ProposalState, PROPOSAL_STATE),
        (RebaseStatus, REBASE_STATUS),
        (ProposalAction, ACTION),
        (Decision, DECISION),
        (ParagraphKind, KIND),
    ]:
        assert set(labels) == set(enum), enum.__name__


def test_the_package_exports_each_name_of_states_once() -> None:
    assert len(negotiation.__all__) == len(set(negotiation.__all__))
    assert set(states.__all__) <= set(negotiation.__all__)
    assert all(getattr(negotiation, name) is getattr(states, name) for name in states.__all__)


def test_an_unsaved_row_has_no_id_to_refer_to() -> None:
    from api.models import Paragraph
    from api.models.base import Unsaved, saved_id

    assert saved_id(Paragraph(id=7, process_id=1, key="p", wid="p")) == 7
    with pytest.raises(Unsaved, match="Paragraph has no id yet"):
        saved_id(Paragraph(process_id=1, key="p", wid="p"))
