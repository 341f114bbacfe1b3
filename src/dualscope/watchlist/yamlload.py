"""YAML text as plain data, read faster than ``yaml.load`` and with the same result.

The safe loader builds a node tree (the C composer calls back into Python to resolve every
scalar's tag) and then walks it again to construct the data. The bundled data files use a small
part of YAML: mappings, sequences and scalars, without tags, anchors or aliases. For such a
document :func:`load_yaml_text` builds the data straight from libyaml's parser events, resolving
and constructing each scalar with the safe loader's own resolver and constructors, so the result
is the one ``yaml.load(text, Loader=yaml.SafeLoader)`` gives. Anything else in the text (a tag,
an anchor or alias, a merge key, a complex key, several documents, a syntax error) makes it read
the whole text again with the full safe loader, which then returns or raises exactly what it
always did.

This module imports only PyYAML (no pydantic), so any part of the package may use it.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import ScalarNode

# libyaml's C loader when present: the bundled data parses about 5x faster.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR_TAG = "tag:yaml.org,2002:str"
# Implicit scalar types the fast path constructs (with the safe constructor); any other resolved
# tag (merge ``<<``, value ``=``) sends the text to the full loader.
_SCALAR_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "timestamp")
)


class FastSafeLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """The safe loader with short cuts for plain strings (most of a watchlist's scalars).

    PyYAML matches every plain scalar against the implicit-type patterns and builds it through
    its generic ``construct_object`` (anchor bookkeeping, constructor lookup). A scalar whose
    first character starts no implicit type is a string, and a string's value is the node's text,
    exactly what ``construct_yaml_str`` returns. Every other node goes the usual way.
    """

    # First characters an implicit (plain-scalar) type can start with: bools, numbers, dates,
    # nulls, merge keys. A plain scalar starting with anything else is a string.
    _typed_starts = frozenset(k for k in _BaseLoader.yaml_implicit_resolvers if k is not None)
    _wildcards = None in _BaseLoader.yaml_implicit_resolvers

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> Any:
        if (
            kind is yaml.ScalarNode
            and implicit[0]
            and value
            and value[0] not in self._typed_starts
            and not self._wildcards
            and not self.yaml_path_resolvers
        ):
            return _STR_TAG
        return super().resolve(kind, value, implicit)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node.tag == _STR_TAG and node.__class__ is yaml.ScalarNode:
            return node.value
        return super().construct_object(node, deep)


class _Unusual(Exception):
    """The text uses more of YAML than the event builder handles: the full loader reads it."""


_NO_KEY = object()  # marks a mapping waiting for its next key
_SEQUENCE = object()  # marks a sequence (a mapping's key may be None)


def _from_events(loader: Any) -> Any:
    """The single document of ``loader``'s event stream as plain data (or :class:`_Unusual`)."""
    get_event = loader.get_event
    resolve = loader.resolve
    constructors = loader.yaml_constructors
    typed_starts = FastSafeLoader._typed_starts
    if FastSafeLoader._wildcards or loader.yaml_path_resolvers:
        raise _Unusual
    if get_event().__class__ is not StreamStartEvent:
        raise _Unusual
    event = get_event()
    if event.__class__ is StreamEndEvent:
        return None  # an empty stream (as get_single_data)
    if event.__class__ is not DocumentStartEvent:
        raise _Unusual
    containers: list[Any] = []  # open mappings and sequences, innermost last
    keys: list[Any] = []  # for each: _SEQUENCE, or the mapping's key awaiting its value, or _NO_KEY
    while True:
        event = get_event()
        kind = event.__class__
        if kind is ScalarEvent:
            if event.anchor is not None or event.tag is not None:
                raise _Unusual
            value = event.value
            implicit = event.implicit
            if not (implicit[0] and value and value[0] not in typed_starts):
                tag = resolve(ScalarNode, value, implicit)
                if tag != _STR_TAG:
                    if tag not in _SCALAR_TAGS:
                        raise _Unusual
                    node = ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
                    value = constructors[tag](loader, node)
            item = value
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.anchor is not None or event.tag is not None:
                raise _Unusual
            if kind is MappingStartEvent:
                containers.append({})
                keys.append(_NO_KEY)
            else:
                containers.append([])
                keys.append(_SEQUENCE)
            continue
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            key = keys.pop()
            if key is not _NO_KEY and key is not _SEQUENCE:
                raise _Unusual  # cannot happen: the parser pairs keys and values
            item = containers.pop()
        else:
            raise _Unusual  # an alias
        if not containers:
            break
        key = keys[-1]
        if key is _SEQUENCE:
            containers[-1].append(item)
        elif key is _NO_KEY:
            if isinstance(item, (dict, list)):
                raise _Unusual  # a complex key: the safe constructor rejects it with a message
            keys[-1] = item
        else:
            containers[-1][key] = item
            keys[-1] = _NO_KEY
    if get_event().__class__ is not DocumentEndEvent or get_event().__class__ is not StreamEndEvent:
        raise _Unusual  # more than one document
    return item


def load_yaml_text(text: str) -> Any:
    """YAML text as plain data, exactly as the safe loader reads it (see the module docstring)."""
    loader = FastSafeLoader(text)
    try:
        return _from_events(loader)
    except Exception:  # noqa: S110 - _Unusual, or an error the full loader will report
        pass
    finally:
        loader.dispose()
    return yaml.load(text, Loader=FastSafeLoader)  # noqa: S506 (a safe loader)
