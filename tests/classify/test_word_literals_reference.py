"""The regex-based word_literals gives what its character-by-character definition gives."""

from __future__ import annotations

import random

import pytest

from dualscope.classify.phrases import _is_case_sensitive, word_literals


def _reference(word: str, *, last: bool, prefix: bool) -> list[str]:
    """The definition in its first form: one character at a time."""
    chars = [ch.lower() if ch.isascii() and ch.isalnum() else " " for ch in word]
    for i in range(1, len(chars)):
        if chars[i] in "sz" and chars[i - 1] == "i":
            chars[i] = " "
    lowered = "".join(chars)
    at = lowered.find("behavio")
    while at >= 0:
        if at + 7 < len(chars):
            chars[at + 7] = " "
        at = lowered.find("behavio", at + 1)
    if last and not prefix and chars and chars[-1] == "y":
        chars[-1] = " "
    return "".join(chars).split()


PIECES = [*"aeiouyszIZSYBhv0-'’é中İK\u212a ", "behavio", "behaviour", "isation", "ize", "ised"]


@pytest.mark.parametrize("seed", range(5))
def test_word_literals_match_the_character_definition(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(2000):
        word = "".join(rng.choice(PIECES) for _ in range(rng.randrange(0, 9)))
        for last in (True, False):
            for prefix in (True, False):
                expected = _reference(word, last=last, prefix=prefix)
                assert word_literals(word, last=last, prefix=prefix) == expected, word
        expected_case = any(sum(ch.isupper() for ch in w) >= 2 for w in word.split())
        assert _is_case_sensitive(word.split()) == expected_case, word
