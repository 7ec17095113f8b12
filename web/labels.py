"""The words the interface shows for the states of things; marked here, translated where shown."""


def N_(message: str) -> str:  # Babel's conventional name for "mark for translation"
    """Mark a message for the catalogue without translating it yet."""
    return message


PARAGRAPH_STATUS = {
    "open": N_("Open"),
    "bracketed": N_("Bracketed"),
    "agreed_ad_ref": N_("Agreed ad ref"),
    "agreed": N_("Agreed"),
}
PROPOSAL_STATE = {
    "submitted": N_("Submitted"),
    "withdrawn": N_("Withdrawn"),
    "accepted": N_("Accepted"),
    "accepted_with_changes": N_("Accepted with changes"),
    "rejected": N_("Rejected"),
    "deferred": N_("Deferred"),
    "superseded": N_("Superseded"),
}
REBASE_STATUS = {
    "carried": N_("Carried to the new revision"),
    "needs_attention": N_("Needs your attention"),
    "superseded": N_("Superseded by the new revision"),
    "updated": N_("Updated against the new text"),
}
ACTION = {
    "amend": N_("Amend"),
    "insert": N_("Insert after"),
    "delete": N_("Delete"),
}
DECISION = {
    "accept": N_("Accept"),
    "accept_with_changes": N_("Accept with changes"),
    "reject": N_("Reject"),
    "defer": N_("Defer"),
}
CHANGE = {
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
LINEAGE = {
    "split_from": N_("Split from"),
    "merged_from": N_("Merged from"),
    "split_into": N_("Split into"),
    "merged_into": N_("Merged into"),
}
ROLE = {
    "secretariat": N_("Secretariat"),
    "cofacilitator": N_("Co-facilitator"),
    "delegation": N_("Delegation"),
    "observer": N_("Observer"),
}
PART = {
    "front": N_("Resolution"),
    "body": N_("Main text"),
    "annex1": N_("Annex I"),
    "annex2": N_("Annex II"),
}
KIND = {
    "paragraph": N_("Paragraph"),
    "subparagraph": N_("Sub-paragraph"),
    "heading": N_("Heading"),
    "unnumbered": N_("Unnumbered paragraph"),
}

LABELS = {
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
