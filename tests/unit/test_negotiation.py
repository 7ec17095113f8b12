"""The negotiation rules without a database: the proposal life cycle and a paragraph's status."""

import pytest

from api.domain.errors import InvalidInput, InvalidTransition
from api.domain.negotiation import (
    ParagraphStatus,
    ProposalState,
    check_transition,
    describe_brackets,
    effective_status,
    settle_status,
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
