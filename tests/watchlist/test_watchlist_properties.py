"""Properties: normalisation is stable, and any valid entity survives a YAML write/read."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from dualscope.watchlist.loader import load_entity_file
from dualscope.watchlist.model import CATEGORIES, Entity
from dualscope.watchlist.names import normalise_name, split_bilingual
from dualscope.watchlist.yamlio import write_entities

NAME_CHARS = st.characters(
    whitelist_categories=("Lu", "Ll", "Nd", "Zs", "Lo", "Pd", "Po", "Ps", "Pe"),
    max_codepoint=0x9FFF,
)
names = st.text(NAME_CHARS, min_size=1, max_size=40).filter(lambda s: s.strip())


@settings(max_examples=100, deadline=None, database=None)
@given(names)
def test_normalise_name_is_idempotent(text: str) -> None:
    once = normalise_name(text)
    assert normalise_name(once) == once


@settings(max_examples=100, deadline=None, database=None)
@given(names)
def test_split_bilingual_loses_no_english_text(text: str) -> None:
    english, chinese = split_bilingual(text)
    if chinese is None:
        assert english == " ".join(text.split())
    else:
        assert english and " ".join(text.split()).startswith(english)


entities = st.builds(
    lambda slug, name, zh, category, aliases: Entity.model_validate(
        {
            "id": slug,
            "name_en": name,
            "name_zh": zh,
            "category": category,
            "aliases": [{"name": a, "kind": "name", "source": "test"} for a in aliases],
            "sources": [{"name": "test", "url": "https://example.org/"}],
        }
    ),
    st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True),
    names,
    st.one_of(st.none(), names),
    st.sampled_from(CATEGORIES),
    st.lists(names, max_size=3),
)


@settings(max_examples=30, deadline=None, database=None)
@given(entities)
def test_entity_survives_yaml_round_trip(entity: Entity) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "e.yaml"
        write_entities(path, [entity], header="round trip")
        assert load_entity_file(path) == [entity]
