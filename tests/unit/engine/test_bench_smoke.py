"""The benchmark's pieces run (no timings asserted: CI machines vary); `python -m bench.run` gives figures."""

from bench.run import accord_changes, accord_redline, minimal_dmp, python_dmp, word_difflib


def test_benchmark_tools_measure_the_same_change() -> None:
    old = "Alpha beta gamma.\n\n我们重申宗旨。\n"
    new = "Alpha delta gamma.\n\n我们再次重申宗旨。\n"
    page, changed = accord_redline(old, new)
    assert "<del>beta</del><ins>delta</ins>" in page and "<ins>再次</ins>" in page
    assert changed == len("beta") + len("delta") + len("再次")
    assert python_dmp(old, new, 1.0) == (minimal_dmp(old, new)[0], False)
    assert accord_changes(old, new) == 2
    assert word_difflib(old, new) > 0
