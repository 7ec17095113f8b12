"""The data files in drafts/ stay derived from the seed, well formed, and consistent with each other."""

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api.cli.base import app
from api.cli.drafts import DEFAULT_SEED as SEED
from api.cli.drafts import dump_json, revision_record
from api.domain.un_document import ParsedDocument, parse_un_document

REPO_ROOT = Path(__file__).resolve().parents[2]
DRAFTS = REPO_ROOT / "drafts"
JSON_FILES = [
    "delegations.json",
    "nyd/process.json",
    "nyd/revision.json",
    "gcm/process.json",
    "gcr/process.json",
]
STATE_KINDS = {"member_state", "observer_state"}


@pytest.fixture(scope="module")
def document() -> ParsedDocument:
    assert SEED.is_file(), f"the seed text is missing: {SEED}"
    return parse_un_document(SEED.read_text(encoding="utf-8"))


def load(name: str) -> Any:
    return json.loads((DRAFTS / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def delegations() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = load("delegations.json")["delegations"]
    return entries


def by_kind(delegations: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [entry for entry in delegations if entry["kind"] == kind]


@pytest.mark.parametrize("name", JSON_FILES)
def test_files_are_written_the_one_deterministic_way(name: str) -> None:
    text = (DRAFTS / name).read_text(encoding="utf-8")
    assert text == dump_json(json.loads(text))


def test_revision_is_what_the_parser_makes_of_the_seed_now(document: ParsedDocument) -> None:
    digest = hashlib.sha256(SEED.read_bytes()).hexdigest()
    expected = dump_json(revision_record(document, SEED.name, digest))
    assert (DRAFTS / "nyd" / "revision.json").read_text(encoding="utf-8") == expected


def test_revision_metadata() -> None:
    revision = load("nyd/revision.json")
    assert {key: revision[key] for key in ("label", "symbol", "date", "language")} == {
        "label": "Adopted text",
        "symbol": "A/RES/70/302",
        "date": "2016-09-09",
        "language": "zh",
    }
    assert revision["source"] == {
        "file": "000_0fc575c65120479c.txt",
        "sha256": hashlib.sha256(SEED.read_bytes()).hexdigest(),
    }
    assert list(revision["paragraphs"][0]) == [
        "key",
        "eid",
        "part",
        "section",
        "kind",
        "number",
        "text",
        "footnotes",
    ]


def test_nyd_process(document: ParsedDocument) -> None:
    process = load("nyd/process.json")
    assert set(process) == {"slug", "title_en", "title_zh", "language", "symbol", "description_en"}
    assert (process["slug"], process["symbol"], process["language"]) == ("nyd", "A/RES/71/1", "zh")
    assert process["title_en"] == "New York Declaration for Refugees and Migrants"
    assert process["title_zh"] == document.get("body-title").text == "关于难民和移民的纽约宣言"


def test_gcm_mandate_is_annex_2_paragraph_8(document: ParsedDocument) -> None:
    process = load("gcm/process.json")
    assert (process["slug"], process["language"], process["cofacilitators"]) == ("gcm", "en", ["MEX", "CHE"])
    assert process["title_zh"] == "安全、有序和正常移民全球契约"
    mandate = process["mandate"]
    assert mandate["source"] == "A/RES/71/1, annex II, paragraph 8"
    elements = [p for p in document.part("annex2") if p.kind == "subparagraph"]
    assert [(e["code"], e["text"]) for e in mandate["elements"]] == [
        (p.key.rsplit("-", 1)[1], p.text) for p in elements
    ]
    assert len(mandate["elements"]) == 24
    assert all(e["label"] and e["label_official"] is False for e in mandate["elements"])
    assert len({e["label"] for e in mandate["elements"]}) == 24


def test_gcr_mandate_is_the_four_parts_of_the_framework(document: ParsedDocument) -> None:
    process = load("gcr/process.json")
    assert (process["slug"], process["language"], process["cofacilitators"]) == ("gcr", "en", [])
    assert "UNHCR" in process["note_en"]
    elements = process["mandate"]["elements"]
    assert [(e["code"], e["text"], e["paragraphs"]) for e in elements] == [
        ("1", "接收和接纳", ["5"]),
        ("2", "对当前和长期需求的支持", ["6", "7"]),
        ("3", "对收容国和收容社区的支持", ["8"]),
        ("4", "持久解决办法", [str(n) for n in range(9, 17)]),
    ]
    for element in elements:
        under = [
            p.number
            for p in document.part("annex1")
            if p.kind == "paragraph" and p.section == element["text"]
        ]
        assert element["paragraphs"] == under
        assert element["label"] and element["label_official"] is False


def test_cofacilitators_are_member_states(delegations: list[dict[str, Any]]) -> None:
    states = {entry["code"] for entry in by_kind(delegations, "member_state")}
    for slug in ("gcm", "gcr"):
        assert set(load(f"{slug}/process.json")["cofacilitators"]) <= states


def test_exactly_193_member_states_and_2_observer_states(delegations: list[dict[str, Any]]) -> None:
    members = by_kind(delegations, "member_state")
    assert len(members) == 193
    assert all(re.fullmatch(r"[A-Z]{3}", entry["code"]) for entry in members)
    assert {entry["code"]: entry["name_en"] for entry in by_kind(delegations, "observer_state")} == {
        "VAT": "Holy See",
        "PSE": "State of Palestine",
    }
    for key in ("name_en", "name_zh"):
        assert len({entry[key] for entry in members}) == 193


def test_codes_are_unique_and_kinds_known(delegations: list[dict[str, Any]]) -> None:
    codes = [entry["code"] for entry in delegations]
    assert len(set(codes)) == len(codes)
    assert {entry["kind"] for entry in delegations} == STATE_KINDS | {"group", "organisation"}
    assert {"IOM", "UNHCR"} <= {entry["code"] for entry in by_kind(delegations, "organisation")}


def test_state_names(delegations: list[dict[str, Any]]) -> None:
    names = {entry["code"]: (entry["name_en"], entry["name_zh"]) for entry in delegations}
    assert names["CHN"] == ("China", "中国")
    assert names["MEX"] == ("Mexico", "墨西哥")
    assert names["CHE"] == ("Switzerland", "瑞士")
    assert names["USA"] == ("United States of America", "美利坚合众国")
    assert names["GBR"] == (
        "United Kingdom of Great Britain and Northern Ireland",
        "大不列颠及北爱尔兰联合王国",
    )
    for entry in delegations:
        if entry["kind"] in STATE_KINDS:
            assert re.fullmatch(r"[\u4e00-\u9fff·]+", entry["name_zh"]), entry


def test_groups_have_known_states_as_members(delegations: list[dict[str, Any]]) -> None:
    states = {entry["code"] for entry in delegations if entry["kind"] in STATE_KINDS}
    groups = {entry["code"]: entry for entry in by_kind(delegations, "group")}
    assert all(not re.fullmatch(r"[A-Z]{3}", code) for code in groups)
    for group in groups.values():
        assert group["members"] and set(group["members"]) <= states, group["code"]
        assert len(set(group["members"])) == len(group["members"])
    assert (len(groups["G77"]["members"]), len(groups["EU"]["members"])) == (134, 27)
    assert len(groups["AFRICAN-GROUP"]["members"]) == 54
    assert {"CHN", "PSE"} <= set(groups["G77"]["members"])
    assert not {"MEX", "CHE", "TUR", "KOR"} & set(groups["G77"]["members"])
    assert {"DEU", "FRA", "HRV"} <= set(groups["EU"]["members"]) and "GBR" not in groups["EU"]["members"]


def test_build_command_reads_the_seed_shipped_in_the_repository(tmp_path: Path) -> None:
    assert SEED.is_relative_to(DRAFTS)  # a clone alone rebuilds the draft; nothing outside it is read
    result = CliRunner().invoke(app, ["drafts", "build", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    written = (tmp_path / "nyd" / "revision.json").read_text(encoding="utf-8")
    assert written == (DRAFTS / "nyd" / "revision.json").read_text(encoding="utf-8")


def test_build_command_with_a_missing_seed_fails_in_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    result = CliRunner().invoke(app, ["drafts", "build", "--seed", str(missing), "--out", str(tmp_path)])
    assert result.exit_code != 0
    assert result.stderr == f"accord: error: {missing}: no such file\n"
    assert not (tmp_path / "nyd").exists()
