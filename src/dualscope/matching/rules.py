"""The matching rules. Each is a small function whose one-line docstring is the explanation.

A rule receives what the matcher found (an alias entry, the part of the input, the entity) and
returns :class:`~dualscope.matching.types.Evidence`; the docstring is filled in with the hit, so a
reader sees e.g. "matched 'Natl Univ Def Technol' to National University of Defense Technology by
Web of Science abbreviation of 'National University of Defense Technology'". Scores are fixed per
rule: identifiers and exact names are certain, abbreviations and sub-units nearly so, acronyms and
spelling variants less.
"""

from __future__ import annotations

from collections.abc import Callable

from dualscope.matching.abbreviations import WOS_ABBREVIATIONS
from dualscope.matching.index import AliasEntry
from dualscope.matching.types import Evidence

SCORES: dict[str, float] = {
    "identifier": 1.0,
    "exact_alias": 1.0,
    "chinese_name": 1.0,
    "wos_abbreviation": 0.95,
    "subunit": 0.95,
    "acronym_in_context": 0.85,
    "generic_name_in_context": 0.95,
    "fuzzy_spelling": 0.85,
    "name_without_campus": 0.8,
}

_KIND_WORDS = {
    "official": "official name",
    "name": "name",
    "former": "former name",
    "cover": "cover name",
    "unit": "military unit number",
    "translation": "translated name",
    "abbreviation": "abbreviated name",
    "chinese": "Chinese name",
    "acronym": "acronym",
}


def _fill(rule: Callable[..., Evidence], matched: str, alias: str, **fields: str) -> Evidence:
    doc = (rule.__doc__ or rule.__name__).strip().splitlines()[0]
    explanation = doc.format(text=matched, alias=alias, **fields)
    return Evidence(rule.__name__, explanation, matched, alias)


def kind_words(kind: str) -> str:
    """Human words for an alias kind ("cover name", "former name")."""
    return _KIND_WORDS.get(kind, "name")


def identifier(value: str, scheme: str, entity: str, subunit: str | None = None) -> Evidence:
    """matched identifier {text} to {entity}{sub} by its {scheme} id"""
    sub = f" ({subunit})" if subunit else ""
    label = {"ror": "ROR", "openalex": "OpenAlex"}.get(scheme, scheme)
    return _fill(identifier, value, value, entity=entity, sub=sub, scheme=label)


def exact_alias(matched: str, entry: AliasEntry, entity: str) -> Evidence:
    """matched '{text}' to {entity} by its {kind} '{alias}' (same words after normalisation)"""
    return _fill(exact_alias, matched, entry.alias, entity=entity, kind=kind_words(entry.kind))


def wos_abbreviation(matched: str, entry: AliasEntry, entity: str, words: str) -> Evidence:
    """matched '{text}' to {entity} by Web of Science abbreviation of '{alias}' ({words})"""
    return _fill(wos_abbreviation, matched, entry.alias, entity=entity, words=words)


def generic_name_in_context(matched: str, entry: AliasEntry, entity: str, context: str) -> Evidence:
    """matched '{text}' to {entity} by '{alias}' (not unique to China) in context: {context}"""
    return _fill(
        generic_name_in_context,
        matched,
        entry.alias,
        entity=entity,
        context=context,
    )


def chinese_name(matched: str, entry: AliasEntry, entity: str) -> Evidence:
    """matched '{text}' to {entity} by its Chinese name '{alias}' (longest Chinese name found)"""
    return _fill(chinese_name, matched, entry.alias, entity=entity)


def subunit(matched: str, entry: AliasEntry, entity: str) -> Evidence:
    """matched '{text}' to {entity} by its {sub_kind} '{alias}', which belongs to it"""
    kind = entry.subunit_kind if entry.subunit_kind not in (None, "other") else "sub-unit"
    return _fill(subunit, matched, entry.subunit or entry.alias, entity=entity, sub_kind=str(kind))


def numbered_institute(matched: str, number: str, entity: str) -> Evidence:
    """matched '{text}' to {entity} as its numbered research institute no. {alias}"""
    return _fill(numbered_institute, matched, number, entity=entity)


def acronym_in_context(matched: str, entry: AliasEntry, entity: str, context: str) -> Evidence:
    """matched acronym '{text}' to {entity} as the string places it in China ({context})"""
    return _fill(acronym_in_context, matched, entry.alias, entity=entity, context=context)


def fuzzy_spelling(matched: str, entry: AliasEntry, entity: str, pairs: str) -> Evidence:
    """matched '{text}' to {entity} by '{alias}' allowing only misspelt words ({pairs})"""
    return _fill(fuzzy_spelling, matched, entry.alias, entity=entity, pairs=pairs)


def name_without_campus(matched: str, entry: AliasEntry, entity: str, qualifier: str) -> Evidence:
    """matched '{text}' to {entity} by '{alias}', but the string does not say '{qualifier}': a sibling university bears the same name with another campus"""  # noqa: E501 (one-line template)
    return _fill(name_without_campus, matched, entry.alias, entity=entity, qualifier=qualifier)


def abbreviation_words(tokens: tuple[str, ...]) -> str:
    """Which WoS abbreviations a matched span used, e.g. "Natl = National, Univ = University"."""
    used = [
        f"{t.capitalize()} = {WOS_ABBREVIATIONS[t].capitalize()}"
        for t in tokens
        if t in WOS_ABBREVIATIONS
    ]
    return ", ".join(dict.fromkeys(used)) or "abbreviated or reordered words"
