"""The semantic clean-up of diff-match-patch, measured both in tokens and in characters.

diff-match-patch folds an equality into the edits around it when it is no longer than the edits on each
side ("the" kept between two rewrites is noise). Over tokens, that rule must hold in two measures: in
tokens, or a long kept phrase counts for nothing next to long words ("the [Global Compact] in 2018 at
[a] conference" would be swallowed whole); and in characters, or one long kept word counts for no more
than a space ("не поддерживает этот" would be rewritten whole). An equality is folded only when it is
trivial in both.
"""

from collections.abc import Callable

from api.domain.text.tokens import common_prefix_length, common_suffix_length

# (sign, code string) as diff-match-patch returns them: "=" kept, "-" struck, "+" added.
Diffs = list[tuple[str, str]]
Width = Callable[[str], int]


def cleanup_semantic(diffs: Diffs, width: Width) -> Diffs:
    """Fold trivial equalities into their neighbouring edits, then split shared text out of a change."""
    return _split_overlaps(_merge(_fold_trivial_equalities(diffs, width)))


def _fold_trivial_equalities(diffs: Diffs, width: Width) -> Diffs:
    """Replace each trivial equality by a deletion and an insertion of the same text (dmp's first pass)."""
    items = [(sign, codes, len(codes), width(codes)) for sign, codes in diffs]
    equalities: list[int] = []
    # Largest insertion and deletion before and after the last equality: (tokens, characters) each.
    before = after = _NONE
    pointer = 0
    while pointer < len(items):
        sign, _, tokens, chars = items[pointer]
        if sign == "=":
            equalities.append(pointer)
            before, after = after, _NONE
        else:
            after = _grow(after, sign, tokens, chars)
            last = equalities[-1] if equalities else None
            if last is not None and _is_trivial(items[last], before, after):
                _, kept, kept_tokens, kept_chars = items[last]
                items[last : last + 1] = [
                    ("-", kept, kept_tokens, kept_chars),
                    ("+", kept, kept_tokens, kept_chars),
                ]
                equalities.pop()
                if equalities:
                    equalities.pop()  # the equality before it must be weighed again
                pointer = equalities[-1] if equalities else -1
                before = after = _NONE
        pointer += 1
    return [(sign, codes) for sign, codes, _, _ in items]


# (inserted tokens, inserted characters, deleted tokens, deleted characters) on one side of an equality
_Sizes = tuple[int, int, int, int]
_NONE: _Sizes = (0, 0, 0, 0)


def _grow(sizes: _Sizes, sign: str, tokens: int, chars: int) -> _Sizes:
    if sign == "+":
        return (sizes[0] + tokens, sizes[1] + chars, sizes[2], sizes[3])
    return (sizes[0], sizes[1], sizes[2] + tokens, sizes[3] + chars)


def _is_trivial(equality: tuple[str, str, int, int], before: _Sizes, after: _Sizes) -> bool:
    """No longer than the edits on each side, counted in tokens and in characters alike."""
    _, _, tokens, chars = equality
    return (
        tokens <= max(before[0], before[2])
        and tokens <= max(after[0], after[2])
        and chars <= max(before[1], before[3])
        and chars <= max(after[1], after[3])
    )


def _merge(diffs: Diffs) -> Diffs:
    """Gather each run of edits into one deletion then one insertion, moving shared ends into equalities."""
    merged: Diffs = []
    deleted: list[str] = []
    inserted: list[str] = []
    for sign, codes in [*diffs, ("=", "")]:
        if sign == "-":
            deleted.append(codes)
        elif sign == "+":
            inserted.append(codes)
        else:
            _append_change(merged, "".join(deleted), "".join(inserted))
            deleted, inserted = [], []
            _append(merged, "=", codes)
    return merged


def _append_change(merged: Diffs, deleted: str, inserted: str) -> None:
    head = common_prefix_length(deleted, inserted)
    _append(merged, "=", deleted[:head])
    deleted, inserted = deleted[head:], inserted[head:]
    tail = common_suffix_length(deleted, inserted)
    _append(merged, "-", deleted[: len(deleted) - tail])
    _append(merged, "+", inserted[: len(inserted) - tail])
    _append(merged, "=", deleted[len(deleted) - tail :])


def _append(diffs: Diffs, sign: str, codes: str) -> None:
    if not codes:
        return
    if diffs and diffs[-1][0] == sign:
        diffs[-1] = (sign, diffs[-1][1] + codes)
    else:
        diffs.append((sign, codes))


def _overlap(first: str, second: str) -> int:
    """Length of the longest end of `first` that is also a start of `second` (dmp's diff_commonOverlap)."""
    size = min(len(first), len(second))
    first, second = first[len(first) - size :], second[:size]
    if first == second:
        return size
    best, length = 0, 1
    while True:
        found = second.find(first[len(first) - length :])
        if found == -1:
            return best
        length += found
        if found == 0 or first[len(first) - length :] == second[:length]:
            best = length
            length += 1


def _split_overlaps(diffs: Diffs) -> Diffs:
    """Where a deletion ends with what the insertion after it starts with, keep that shared text as text."""
    result: Diffs = []
    index = 0
    while index < len(diffs):
        if index + 1 < len(diffs) and diffs[index][0] == "-" and diffs[index + 1][0] == "+":
            result.extend(_split_overlap(diffs[index][1], diffs[index + 1][1]))
            index += 2
        else:
            result.append(diffs[index])
            index += 1
    return result


def _split_overlap(deletion: str, insertion: str) -> Diffs:
    forward = _overlap(deletion, insertion)
    backward = _overlap(insertion, deletion)
    # As in diff-match-patch: only an overlap as big as half of one of the edits is worth showing.
    if forward >= backward and 2 * forward >= min(len(deletion), len(insertion)) and forward:
        split = [("-", deletion[:-forward]), ("=", insertion[:forward]), ("+", insertion[forward:])]
    elif backward and 2 * backward >= min(len(deletion), len(insertion)):
        split = [("+", insertion[:-backward]), ("=", deletion[:backward]), ("-", deletion[backward:])]
    else:
        split = [("-", deletion), ("+", insertion)]
    return [(sign, codes) for sign, codes in split if codes]
