"""The words the interface shows for the states of things; marked here, translated where shown.

Keyed by the negotiation's enums (a state read from the database, a plain string, looks up the same).
"""

from api.domain.negotiation import (
    Decision,
    ParagraphKind,
    ParagraphStatus,
    ProposalAction,
    ProposalState,
    RebaseStatus,
)


def N_(message: str) -> str:  # Babel's conventional name for "mark for translation"
    """Mark a message for the catalogue without translating it yet."""
    return message


PARAGRAPH_STATUS: dict[str, str] = {
    ParagraphStatus.OPEN: N_("Open"),
    ParagraphStatus.BRACKETED: N_("Bracketed"),
    ParagraphStatus.AGREED_AD_REF: N_("Agreed ad ref"),
    ParagraphStatus.AGREED: N_("Agreed"),
}
PROPOSAL_STATE: dict[str, str] = {
    ProposalState.SUBMITTED: N_("Submitted"),
    ProposalState.WITHDRAWN: N_("Withdrawn"),
    ProposalState.ACCEPTED: N_("Accepted"),
    ProposalState.ACCEPTED_WITH_CHANGES: N_("Accepted with changes"),
    ProposalState.REJECTED: N_("Rejected"),
    ProposalState.DEFERRED: N_("Deferred"),
    ProposalState.SUPERSEDED: N_("Superseded"),
}
REBASE_STATUS: dict[str, str] = {
    RebaseStatus.CARRIED: N_("Carried to the new revision"),
    RebaseStatus.NEEDS_ATTENTION: N_("Needs your attention"),
    RebaseStatus.SUPERSEDED: N_("Superseded by the new revision"),
    RebaseStatus.UPDATED: N_("Updated against the new text"),
}
ACTION: dict[str, str] = {
    ProposalAction.AMEND: N_("Amend"),
    ProposalAction.INSERT: N_("Insert after"),
    ProposalAction.DELETE: N_("Delete"),
}
DECISION: dict[str, str] = {
    Decision.ACCEPT: N_("Accept"),
    Decision.ACCEPT_WITH_CHANGES: N_("Accept with changes"),
    Decision.REJECT: N_("Reject"),
    Decision.DEFER: N_("Defer"),
}
CHANGE: dict[str, str] = {
    "unchanged": N_("Unchanged"),
    "status_changed": N_("Status changed"),
    "modified": N_("Amended"),
    "moved": N_("Moved"),
    "moved_and_modified": N_("Moved and amended"),
    "inserted": N_("New paragraph"),
    "deleted": N_("Deleted"),
    "split": N_("Split"),
    "merged": N_("Merged"),
}
LINEAGE: dict[str, str] = {
    "split_from": N_("Split from"),
    "merged_from": N_("Merged from"),
    "split_into": N_("Split into"),
    "merged_into": N_("Merged into"),
}
ROLE: dict[str, str] = {
    "secretariat": N_("Secretariat"),
    "cofacilitator": N_("Co-facilitator"),
    "delegation": N_("Delegation"),
    "observer": N_("Observer"),
}
PART: dict[str, str] = {
    "front": N_("Resolution"),
    "body": N_("Main text"),
    "annex1": N_("Annex I"),
    "annex2": N_("Annex II"),
}
KIND: dict[str, str] = {
    ParagraphKind.PARAGRAPH: N_("Paragraph"),
    ParagraphKind.SUBPARAGRAPH: N_("Sub-paragraph"),
    ParagraphKind.HEADING: N_("Heading"),
    ParagraphKind.UNNUMBERED: N_("Unnumbered paragraph"),
}

# The revision labels the workflow gives (web/facilitation.py, the seed): data in URLs, named here when shown.
REVISION: dict[str, str] = {
    "Zero draft": N_("Zero draft"),
    "Adopted text": N_("Adopted text"),
}
REVISION_NUMBERED = N_("Rev.%(number)s")  # "Rev.1", "Rev.2" …

LABELS: dict[str, dict[str, str]] = {
    "status": PARAGRAPH_STATUS,
    "state": PROPOSAL_STATE,
    "rebase": REBASE_STATUS,
    "action": ACTION,
    "decision": DECISION,
    "change": CHANGE,
    "lineage": LINEAGE,
    "role": ROLE,
    "part": PART,
    "kind": KIND,
}
