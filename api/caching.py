"""Serving immutable reads as immutable: strong ETags, 304s, Cache-Control, a bounded render cache.

A published revision never changes, and neither does a compare of two of them: a view of them is a pure
function of content hashes, of the little state around them (the latest revision, what the compilation
has released) and of what the viewer may see. Routes compute that key cheaply first, answer
`If-None-Match` with 304, and render only when the rendered bytes are not in the cache.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from api.domain.hashing import canonical_json, sha256_hex
from api.services.read_keys import ReadKey

# Anonymous views are the same for every reader: a proxy may keep them, briefly, and must revalidate
# after that (the "not the current revision" notice and the proposal counts follow new events).
PUBLIC_CACHE_CONTROL = "public, max-age=0, s-maxage=10, must-revalidate"
# Signed-in views carry the person's name, roles and CSRF token: the browser may revalidate, nobody else.
PRIVATE_CACHE_CONTROL = "private, no-cache"
# Live pages (working copy, desk): never stored anywhere.
LIVE_CACHE_CONTROL = "no-store"
DEFAULT_CACHE_BYTES = 64 * 1024 * 1024


def strong_etag(parts: Iterable[object]) -> str:
    """A strong entity tag: the hash of everything the representation is a function of."""
    return f'"{sha256_hex(canonical_json(list(parts)))[:40]}"'


def matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an If-None-Match header names this entity tag (weak comparison, as RFC 9110 §13.1.2 says)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in if_none_match.split(","))


class RenderCache:
    """A thread-safe LRU of rendered bytes bounded by their total size; keys name their audience."""

    def __init__(self, max_bytes: int = DEFAULT_CACHE_BYTES) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple[object, ...], bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple[object, ...]) -> bytes | None:
        """The bytes stored under the key (now the most recently used), or None."""
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: tuple[object, ...], value: bytes) -> None:
        """Store the bytes, evicting the least recently used entries beyond the bound."""
        if len(value) > self.max_bytes:
            return  # bigger than the whole cache: serve it, keep nothing
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= len(old)
            self._entries[key] = value
            self._size += len(value)
            while self._size > self.max_bytes:
                _key, evicted = self._entries.popitem(last=False)
                self._size -= len(evicted)

    @property
    def size(self) -> int:
        """The bytes held now."""
        return self._size

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        """Forget everything (tests and benchmarks measure a cold cache)."""
        with self._lock:
            self._entries.clear()
            self._size = 0


def cached_json(request: Request, key: ReadKey | None, load: Callable[[], BaseModel]) -> Response:
    """A JSON read: 304 on a matching ETag, else the serialised view from the cache or from `load`."""
    if key is None:
        body = load().model_dump_json().encode()
        return Response(body, media_type="application/json", headers={"Cache-Control": LIVE_CACHE_CONTROL})
    base = ("json", request.url.path, request.url.query, key.audience, *key.parts)
    etag = strong_etag(base)
    # With a bearer token the view is the same, but a shared cache must not answer for that person.
    control = PRIVATE_CACHE_CONTROL if "authorization" in request.headers else PUBLIC_CACHE_CONTROL
    headers = {"ETag": etag, "Cache-Control": control, "Vary": "Authorization"}
    if matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    cache: RenderCache = request.app.state.render_cache
    cached = cache.get(base)
    if cached is None:
        cached = load().model_dump_json().encode()
        cache.put(base, cached)
    return Response(cached, media_type="application/json", headers=headers)
