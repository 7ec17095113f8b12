"""Small helpers shared by the engine's tests."""

from api.domain.text import Op


def wdiff(ops: tuple[Op, ...] | list[Op]) -> str:
    """A redline written as text: [-struck-] and {+added+}, to compare whole outputs at a glance."""
    marks = {"equal": ("", ""), "delete": ("[-", "-]"), "insert": ("{+", "+}")}
    return "".join(marks[op.kind][0] + op.text + marks[op.kind][1] for op in ops)
