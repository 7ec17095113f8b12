"""Identifiers that fit their columns on every engine: eIds, wIds, keys and numbers never overflow."""

import hashlib
import re

EID_MAX = 96  # paragraph_version.eid
WID_MAX = 64  # paragraph.wid
KEY_MAX = 64  # paragraph.key
NUMBER_MAX = 32  # paragraph_version.number
_DIGEST = 8
_UNSAFE = re.compile(r"[^A-Za-z0-9_]+")


def fit(identifier: str, limit: int) -> str:
    """The identifier itself if it fits, else its head and a digest of the whole (still unique)."""
    if len(identifier) <= limit:
        return identifier
    digest = hashlib.sha256(identifier.encode()).hexdigest()[:_DIGEST]
    return f"{identifier[: limit - _DIGEST - 1]}_{digest}"


def eid_component(name: str, value: str) -> str:
    """One AKN-style eId step: ("point", "iv") → "point_iv", ("para", "3bis alt") → "para_3bis_alt"."""
    return f"{name}_{_UNSAFE.sub('_', value).strip('_') or '0'}"


def key_for(eid: str) -> str:
    """A paragraph key (URL-safe, lower case) derived from its first eId."""
    return fit(eid.replace("__", "-").replace("_", "-").lower(), KEY_MAX)


def insertion_wid(after_wid: str, proposal_id: int | None) -> str:
    """The wId of a paragraph a proposal inserts: anchored on the root paragraph's wId, never growing.

    Nesting the anchor's whole wId made every insertion after an insertion longer, until the eighth
    overflowed varchar(64) on PostgreSQL; an insertion's wId names its root and its proposal only.
    """
    root = after_wid.split("__ins_", 1)[0]
    suffix = f"__ins_p{proposal_id}"
    return fit(root, WID_MAX - len(suffix)) + suffix


_INSERTION_KEY = re.compile(r"(?:-p\d+)+$")


def insertion_key(after_key: str, proposal_id: int | None) -> str:
    """The key of a paragraph a proposal inserts: the root paragraph's key and the proposal, never growing."""
    suffix = f"-p{proposal_id}"
    return fit(_INSERTION_KEY.sub("", after_key), KEY_MAX - len(suffix)) + suffix
