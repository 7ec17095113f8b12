"""Order shared by the comparisons: which items kept their relative place."""

from bisect import bisect_left
from collections.abc import Sequence


def longest_in_order(items: Sequence[int], ranks: Sequence[int]) -> list[int]:
    """The longest run of items whose ranks increase (the paragraphs that stayed in place)."""
    tails: list[int] = []  # tails[k]: the item ending the best increasing run of length k+1 found so far
    tail_ranks: list[int] = []
    previous: list[int] = [-1] * len(items)
    for index, rank in enumerate(ranks):
        length = bisect_left(tail_ranks, rank)
        previous[index] = tails[length - 1] if length else -1
        if length == len(tails):
            tails.append(index)
            tail_ranks.append(rank)
        else:
            tails[length], tail_ranks[length] = index, rank
    run: list[int] = []
    index = tails[-1] if tails else -1
    while index >= 0:
        run.append(items[index])
        index = previous[index]
    return run[::-1]
