"""Content hashes of revisions and the hash chain of audit events (tamper evidence)."""

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no insignificant whitespace, so equal data hashes equally."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def sha256_hex(text: str) -> str:
    """The SHA-256 of a text's UTF-8 bytes, as 64 hex digits."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def revision_content_hash(header: Mapping[str, Any], paragraphs: Sequence[Mapping[str, Any]]) -> str:
    """Hash a revision's header (label, sequence …) and its paragraphs in document order."""
    return sha256_hex(canonical_json({"revision": dict(header), "paragraphs": [dict(p) for p in paragraphs]}))


def audit_event_hash(previous_hash: str, event: Mapping[str, Any]) -> str:
    """Chain an event to its predecessor: any change to either changes every later hash."""
    return sha256_hex(previous_hash + canonical_json(dict(event)))
