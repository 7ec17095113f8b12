"""`accord align` and `accord diff`: the contracts that scripts depend on."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import engine  # noqa: F401  (registers the commands)
from api.cli.base import app

runner = CliRunner()

SCRIPT = "<script>alert(1)</script>"
OLD = f"# Title\n\nWe shall act {SCRIPT}.\n\nAlpha and beta. Gamma and delta.\n\nGone for good.\n"
NEW = f"# Title\n\nWe will act {SCRIPT}.\n\nAlpha and beta.\n\nGamma and delta.\n\nBrand new text.\n"


@pytest.fixture
def files(tmp_path: Path) -> tuple[str, str]:
    old, new = tmp_path / "rev1.md", tmp_path / "rev2.md"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(NEW, encoding="utf-8")
    return str(old), str(new)


def test_align_prints_the_json_contract(files: tuple[str, str]) -> None:
    result = runner.invoke(app, ["align", *files])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    links = printed.pop("links")
    assert printed == {
        "pairs": [{"old": 0, "new": 0, "kind": "unchanged"}, {"old": 1, "new": 1, "kind": "modified"}],
        "splits": [{"old": 2, "new": [2, 3], "heir": 2}],
        "merges": [],
        "deleted": [3],
        "inserted": [4],
    }
    assert [(link["old"], link["new"], link["relation"]) for link in links] == [
        ([0], [0], "unchanged"),
        ([1], [1], "modified"),
        ([2], [2, 3], "split"),
    ]
    assert links[0]["confidence"] == "sure" and links[0]["reasons"][0] == "same text"


def test_align_read_as_an_import_gives_the_import_s_answer(files: tuple[str, str]) -> None:
    from api.services import imports

    result = runner.invoke(app, ["align", *files, "--read", "import"])
    assert result.exit_code == 0, result.output
    old, new = (imports.draft_blocks(Path(name).read_text(encoding="utf-8"), name) for name in files)
    pairs = [[(b.text, b.number) for b in blocks] for blocks in (old, new)]
    assert json.loads(result.stdout) == imports.propose_alignment(*pairs).to_json()


def test_align_json_is_the_default_and_text_is_for_people(files: tuple[str, str]) -> None:
    assert (
        runner.invoke(app, ["align", *files, "--format", "json"]).stdout
        == runner.invoke(app, ["align", *files]).stdout
    )
    text = runner.invoke(app, ["align", *files, "--format", "text"]).stdout
    assert text.splitlines() == [
        "0 -> 0 unchanged",
        "1 -> 1 modified",
        "2 -> 2, 3 split",
        "3 -> - deleted",
        "- -> 4 inserted",
    ]


def test_diff_prints_json_operations(files: tuple[str, str]) -> None:
    result = runner.invoke(app, ["diff", *files])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["exact"] is True
    assert document["paragraphs"][1] == {
        "kind": "modified",
        "old": [1],
        "new": [1],
        "ops": [
            {"op": "equal", "text": "We "},
            {"op": "delete", "text": "shall"},
            {"op": "insert", "text": "will"},
            {"op": "equal", "text": " act <script>alert(1)</script>."},
        ],
    }
    assert [p["kind"] for p in document["paragraphs"]] == [
        "unchanged",
        "modified",
        "split",
        "deleted",
        "inserted",
    ]


def test_diff_html_is_a_page_with_everything_escaped(files: tuple[str, str]) -> None:
    page = runner.invoke(app, ["diff", *files, "--format", "html"]).stdout
    assert page.startswith("<!DOCTYPE html>")
    assert "<script>" not in page
    assert "We <del>shall</del><ins>will</ins> act &lt;script&gt;alert(1)&lt;/script&gt;." in page


def test_diff_text_is_wdiff_style(files: tuple[str, str]) -> None:
    text = runner.invoke(app, ["diff", *files, "--format", "text"]).stdout
    assert "We [-shall-]{+will+} act" in text
    assert "(inserted) {+Brand new text.+}" in text


def test_chinese_files(tmp_path: Path) -> None:
    old, new = tmp_path / "a.txt", tmp_path / "b.txt"
    old.write_text("一. 导言\n\n我们重申《联合国宪章》的宗旨和原则。\n", encoding="utf-8")
    new.write_text("一. 导言\n\n我们再次重申《联合国宪章》的宗旨。\n", encoding="utf-8")
    ops = json.loads(runner.invoke(app, ["diff", str(old), str(new)]).stdout)["paragraphs"][1]["ops"]
    assert ops == [
        {"op": "equal", "text": "我们"},
        {"op": "insert", "text": "再次"},
        {"op": "equal", "text": "重申《联合国宪章》的宗旨"},
        {"op": "delete", "text": "和原则"},
        {"op": "equal", "text": "。"},
    ]


def test_missing_empty_or_binary_files_fail_with_one_clear_line(
    tmp_path: Path, files: tuple[str, str]
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    for arguments in (
        ["align", files[0], "/no/such/file"],
        ["diff", str(empty), files[1]],
        ["diff", str(binary), files[1]],
    ):
        result = runner.invoke(app, arguments)
        assert result.exit_code == 2
        assert result.stderr.startswith("accord: error: ")
        assert result.stdout == ""


def test_unknown_format_is_refused(files: tuple[str, str]) -> None:
    assert runner.invoke(app, ["diff", *files, "--format", "docx"]).exit_code != 0
