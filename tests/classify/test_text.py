"""Abstract rebuilding and topic ids (dualscope.classify.text)."""

from __future__ import annotations

import pytest

from dualscope.classify.text import abstract_from_inverted_index, normalise_topic_id


def test_rebuilds_words_in_position_order() -> None:
    index = {"radar": [2], "We": [0], "study": [1, 3]}
    assert abstract_from_inverted_index(index) == "We study radar study"


@pytest.mark.parametrize("bad", [None, "text", 3, [], {"w": "x"}, {"w": [None, "1", -1, True]}, {}])
def test_bad_shapes_give_empty_text(bad: object) -> None:
    assert abstract_from_inverted_index(bad) == ""


def test_skips_only_the_malformed_parts() -> None:
    index = {"Drones": [0], 5: [1], "fly": ["x", 2], "far": [3]}
    assert abstract_from_inverted_index(index) == "Drones fly far"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://openalex.org/T10057", "T10057"),
        ("T10057", "T10057"),
        ("t10057", "T10057"),
        ("https://openalex.org/W123", None),
        ("", None),
        (None, None),
    ],
)
def test_topic_ids(value: object, expected: str | None) -> None:
    assert normalise_topic_id(value) == expected
