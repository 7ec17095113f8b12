"""The engine on real drafts: the Paris Agreement drafts of 23 October and 4 December 2015.

`python -m bench.real_drafts` reads ../shared/corpus/cop21/ (or $ACCORD_CORPUS/cop21/) and skips,
saying so, when it is absent: the drafts are not ours and are never copied into the repository.

1. Alignment. Both drafts are read as an import reads them and aligned as the import view aligns them
   (`imports.propose_alignment`, the same call as `accord align --read import`). The answer is scored
   against bench/data/cop21_alignment_truth.json, judged by hand: for each sampled December paragraph,
   the October paragraph(s) it continues, other answers a careful reader could defend, and why.
2. Proposals. Through the JSON API on a scratch database: October is imported and published, delegations
   table amendments, insertions and deletions on judged paragraphs, December is imported, its alignment
   confirmed as proposed (nobody corrects it: this measures the engine), and published. Each outcome
   is checked against what the judged truth says it must be (rules in `expected`).
"""

import hashlib
import json
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient

from api.app import create_app
from api.db import make_engine, unit_of_work
from api.domain.numbering import as_printed
from api.domain.text import Alignment
from api.services import imports, seeding
from api.settings import PROJECT_ROOT, Settings

TRUTH = PROJECT_ROOT / "bench" / "data" / "cop21_alignment_truth.json"
OCTOBER, DECEMBER = "cop21/23-oct-2015.md", "cop21/4-dec-2015.md"
PASSWORD = "accord-bench"
MARK = " [as appropriate]"
PER_KIND = 24


def corpus() -> Path | None:
    """The shared corpus folder, if present."""
    found = Path(os.environ.get("ACCORD_CORPUS", PROJECT_ROOT.parent / "shared" / "corpus"))
    return found if (found / OCTOBER).is_file() and (found / DECEMBER).is_file() else None


def fingerprint(text: str) -> str:
    """A paragraph's key in the truth file: its letters and digits, hashed (the text is never stored).

    The text is the paragraph as printed (`numbering.as_printed`: an option's label with its words)."""
    return hashlib.sha256("".join(c for c in text.casefold() if c.isalnum()).encode()).hexdigest()[:12]


def keys(texts: Sequence[str]) -> list[str]:
    """Truth keys of a draft's paragraphs: fingerprint and occurrence ('#2' for the second copy)."""
    seen: Counter[str] = Counter()
    found = []
    for text in texts:
        key = fingerprint(text)
        seen[key] += 1
        found.append(f"{key}#{seen[key]}")
    return found


def printed(paragraph: dict[str, Any]) -> str:
    """A paragraph of the API as the draft prints it (an option's label with its words): what keys hash."""
    return as_printed(paragraph["text"], paragraph["number"])


def sources(alignment: Alignment) -> dict[int, list[int]]:
    """For each new paragraph, the old paragraph(s) the engine says it continues."""
    found: dict[int, list[int]] = {p.new: [p.old] for p in alignment.pairs}
    found.update((j, [s.old]) for s in alignment.splits for j in s.new)
    found.update((m.new, list(m.old)) for m in alignment.merges)
    return found


@dataclass(frozen=True, slots=True)
class Judged:
    """One hand-judged December paragraph."""

    new: str
    old: tuple[str, ...]
    acceptable: tuple[tuple[str, ...], ...]
    reason: str


def truth() -> list[Judged]:
    """The hand-judged sample."""
    data = json.loads(TRUTH.read_text(encoding="utf-8"))
    return [
        Judged(p["new"], tuple(p["old"]), tuple(tuple(a) for a in p["acceptable"]), p["reason"])
        for p in data["paragraphs"]
    ]


def score_alignment(
    october: Sequence[tuple[str, str | None]], december: Sequence[tuple[str, str | None]]
) -> dict[str, Any]:
    """Right, acceptable, partial, missed and wrong links over the judged sample ((text, number) each)."""
    old_keys, new_keys = (
        keys([as_printed(t, n) for t, n in october]),
        keys([as_printed(t, n) for t, n in december]),
    )
    alignment = imports.propose_alignment(october, december)
    said = sources(alignment)
    confidence = {j: e.confidence for j, e in alignment.evidence_of_new().items()}
    where = {key: j for j, key in enumerate(new_keys)}
    verdicts: Counter[str] = Counter()
    wrong = []
    for judged in truth():
        j = where.get(judged.new)
        if j is None:
            verdicts["not in this reading"] += 1
            continue
        engine = tuple(old_keys[i] for i in said.get(j, []))
        verdict = _verdict(engine, judged)
        verdicts[verdict] += 1
        if verdict in ("wrong", "missed", "partial"):
            wrong.append(
                {"new": j, "verdict": verdict, "confidence": confidence.get(j), "why": judged.reason}
            )
    return {"verdicts": dict(verdicts), "not right": wrong}


def _verdict(engine: tuple[str, ...], judged: Judged) -> str:
    if set(engine) == set(judged.old):
        return "right"
    if any(set(engine) == set(alternative) for alternative in judged.acceptable):
        return "acceptable"
    defensible = set(judged.old).union(*map(set, judged.acceptable)) if judged.acceptable else set(judged.old)
    if engine and not set(engine) & defensible:
        return "wrong"
    return "missed" if not engine else "partial"


# --- proposals through publish -------------------------------------------------------------------------


@contextmanager
def api(directory: Path) -> Iterator[TestClient]:
    """The JSON API over a scratch SQLite database with the migrations and the demo accounts."""
    url = f"sqlite:///{directory / 'real.db'}"
    engine = make_engine(url)
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["connection"] = engine
    command.upgrade(config, "head")
    with unit_of_work(engine) as session:
        seeding.seed(session, PROJECT_ROOT / "drafts", PASSWORD)
    engine.dispose()
    settings = Settings(mode="test", database_url=url, secret_key="r" * 40)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


class Session:
    """Signed-in calls, with every status code counted (a 500 is a failure of the measure)."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.tokens: dict[str, dict[str, str]] = {}
        self.statuses: Counter[int] = Counter()

    def as_(self, username: str) -> dict[str, str]:
        """Authorization headers for a demo account."""
        if username not in self.tokens:
            response = self.client.post(
                "/api/v1/auth/token", data={"username": username, "password": PASSWORD}
            )
            self.tokens[username] = {"Authorization": f"Bearer {response.json()['access_token']}"}
        return self.tokens[username]

    def call(self, method: str, path: str, username: str, **extra: Any) -> Any:
        """One API call; its JSON (or None when it was refused)."""
        response = self.client.request(method, "/api/v1" + path, headers=self.as_(username), **extra)
        self.statuses[response.status_code] += 1
        return response.json() if response.status_code < 300 else None

    def publish_import(self, name: str, text: str, label: str) -> dict[str, Any] | None:
        """Import a draft, confirm its alignment as proposed, publish it; the publish report."""
        files = {"file": (name, text.encode(), "text/markdown")}
        self.call("POST", "/processes/gcm/imports", "secretariat", files=files)
        self.call("POST", "/processes/gcm/imports/current/confirm", "secretariat", json={})
        result: dict[str, Any] | None = self.call(
            "POST", "/processes/gcm/revisions", "cofac-mex", json={"label": label}
        )
        return result

    def paragraphs(self, label: str) -> list[dict[str, Any]]:
        """The paragraphs of a published revision."""
        view = self.call("GET", f"/processes/gcm/revisions/{label}", "cofac-mex")
        return list(view["paragraphs"]) if view else []


@dataclass(frozen=True, slots=True)
class Played:
    """One proposal tabled on October and what publishing December did to it."""

    kind: str
    judged: Judged
    proposal_id: int
    proposed: str


def play_proposals(october: str, december: str, directory: Path) -> dict[str, Any]:
    """Table proposals on October, publish December, check each outcome; the counts."""
    with api(directory) as client:
        session = Session(client)
        session.publish_import("23-oct-2015.md", october, "23 Oct")
        old = session.paragraphs("23 Oct")
        played = _table(session, old)
        report = session.publish_import("4-dec-2015.md", december, "4 Dec") or {"proposals": []}
        new = session.paragraphs("4 Dec")
        outcomes = {p["id"]: p for p in report["proposals"]}
        checks = [_check(p, outcomes.get(p.proposal_id), session, new) for p in played]
        counts = Counter(check["verdict"] for check in checks)
        by_kind = Counter(f"{p.kind}: {check['outcome']}" for p, check in zip(played, checks, strict=True))
        return {
            "proposals": len(played),
            "by kind": dict(sorted(by_kind.items())),
            "verdicts": dict(counts),
            "problems": [c for c in checks if c["verdict"] not in ("as expected", "cautious")],
            "cautious": [c for c in checks if c["verdict"] == "cautious"],
            "server errors": sum(n for status, n in session.statuses.items() if status >= 500),
        }


def _table(session: Session, old: list[dict[str, Any]]) -> list[Played]:
    """Amend, insert after and delete judged October paragraphs; amend some to December's words."""
    key_of = dict(zip(keys([printed(p) for p in old]), (p["key"] for p in old), strict=True))
    single = [j for j in truth() if len(j.old) == 1 and j.old[0] in key_of]
    text_of = {p["key"]: p["text"] for p in old}
    played = []
    plans = [("amend", single[:PER_KIND]), ("insert", single[-PER_KIND:]), ("delete", single[::2][:PER_KIND])]
    plans.append(("amend to December", [j for j in truth() if len(j.old) == 1 and j.old[0] in key_of]))
    delegations = ["delegate-chn", "delegate-deu", "delegate-bra", "delegate-zaf"]
    for kind, judged_list in plans:
        for n, judged in enumerate(judged_list):
            key = key_of[judged.old[0]]
            text = _proposed_text(kind, text_of[key], judged)
            if text is None:
                continue
            action = "amend" if kind.startswith("amend") else kind
            body = {"paragraph_key": key, "action": action, "text": text, "justification": "bench"}
            made = session.call("POST", "/processes/gcm/proposals", delegations[n % 4], json=body)
            if made:
                played.append(Played(kind, judged, made["id"], text))
    return played


_DECEMBER_TEXTS: dict[str, str] = {}


def _proposed_text(kind: str, base: str, judged: Judged) -> str | None:
    if kind == "amend":
        return base + MARK
    if kind == "insert":
        return "New paragraph proposed after this one."
    if kind == "delete":
        return ""
    december = _DECEMBER_TEXTS.get(judged.new)
    return december if december and december != base else None


def expected(played: Played) -> set[str]:
    """The outcomes the judged truth allows for a proposal (see docs/ENGINE.md, 'On real drafts')."""
    if played.kind == "amend to December":
        return {"superseded"}
    if not played.judged.old:
        return {"needs_attention", "superseded"}
    if played.kind == "delete" and () in played.judged.acceptable:
        # Reading the December paragraph as new is defensible: the October one is then gone, as asked.
        return {"carried", "needs_attention", "superseded"}
    # Over a judged link the proposal may be carried (onto the judged paragraph only) or flagged.
    return {"carried", "needs_attention"}


def _check(
    played: Played, outcome: dict[str, Any] | None, session: Session, new: list[dict[str, Any]]
) -> dict[str, Any]:
    """Whether the outcome is what the truth allows; a carry must land on the judged paragraph."""
    result = outcome["outcome"] if outcome else "missing"
    proposal = session.call("GET", f"/proposals/{played.proposal_id}", "cofac-mex") or {}
    target = next((p for p in new if p["key"] == proposal.get("paragraph_key")), None)
    target_key = keys([printed(p) for p in new])[new.index(target)] if target else None
    allowed = expected(played)
    verdict = "as expected"
    if result == "carried" and (
        target_key != played.judged.new or not _carried_right(played, proposal, target)
    ):
        verdict = "wrong carry"
    elif result == "superseded" and "superseded" not in allowed:
        verdict = "false supersede"
    elif result not in allowed:
        verdict = "cautious" if result == "needs_attention" else "unexpected"
    elif result == "needs_attention" and played.judged.acceptable == () and target_key == played.judged.new:
        verdict = "cautious" if _unchanged(played, target) else "as expected"
    return {
        "proposal": played.proposal_id,
        "kind": played.kind,
        "outcome": result,
        "verdict": verdict,
        "note": outcome["note"] if outcome else "",
        "why": played.judged.reason,
    }


def _unchanged(played: Played, target: dict[str, Any] | None) -> bool:
    return target is not None and fingerprint(printed(target)) == played.judged.old[0].split("#")[0]


def _carried_right(played: Played, proposal: dict[str, Any], target: dict[str, Any] | None) -> bool:
    """A carried text is the December paragraph with the proposal's own edit, and nothing else."""
    if target is None:
        return False
    text = str(proposal.get("text", ""))
    if played.kind == "amend":
        return " ".join(text.split()) == " ".join((target["text"] + MARK).split())
    if played.kind == "delete":
        return text == "" and proposal.get("base_text") == target["text"]
    return text == played.proposed


def main() -> None:
    """Print the figures as JSON (docs/ENGINE.md quotes them)."""
    folder = corpus()
    if folder is None:
        print("skipped: ../shared/corpus/cop21 is not present (set ACCORD_CORPUS to its folder)")
        return
    october, december = ((folder / name).read_text(encoding="utf-8") for name in (OCTOBER, DECEMBER))
    old_blocks = imports.draft_blocks(october, OCTOBER)
    new_blocks = imports.draft_blocks(december, DECEMBER)
    printed_december = [as_printed(b.text, b.number) for b in new_blocks]
    _DECEMBER_TEXTS.update(zip(keys(printed_december), (b.text for b in new_blocks), strict=True))
    figures = {
        "alignment": score_alignment(
            [(b.text, b.number) for b in old_blocks], [(b.text, b.number) for b in new_blocks]
        )
    }
    with tempfile.TemporaryDirectory() as directory:
        figures["proposals"] = play_proposals(october, december, Path(directory))
    json.dump(figures, sys.stdout, indent=1, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
