"""The rule classifier: which technology areas a work belongs to, with a score and evidence.

For each area the score adds up explainable signals found in the title, the author/OpenAlex
keywords, the abstract and the OpenAlex topics:

==========================  =========================================================
signal                      weight
==========================  =========================================================
strong phrase               1.2 in the title or keywords; 1.0 if the abstract uses it
                            twice or more; 0.8 for a single mention in the abstract
combo (A + B, same field)   1.0 in the title or keywords, else 0.8
more strong phrases         +0.3 each (strong part capped at 2.0)
context phrase              +0.5 each distinct phrase (capped at 1.5)
OpenAlex topic              core +1.0, partial +0.5, trap -1.0
penalty phrase              -0.6 each distinct phrase (capped at -1.8)
==========================  =========================================================

A label needs a score of at least 1.0 (:data:`THRESHOLD`): one strong phrase in the title is
enough, a single mention in an abstract is not (it needs a context phrase or a topic), and two
context phrases together are enough. Exception: when the title and keywords name no sub-area at
all, the abstract is where the paper says what it is about, and its single strong phrase or
combo counts 1.0, unless it is introduced as an example ("tasks such as face recognition").
An area with ``defers_to`` (video-surveillance) stops counting its ``setting`` phrases (CCTV,
surveillance cameras) once a sub-area it defers to (face, re-identification) is labelled.
Phrases inside an exclusion span do not count at all ("particle swarm optimisation" is not a
swarm). A sub-area's label also labels its parent
EU area, with the evidence "via sub-area ...".

Hot path: plain frozen dataclasses and regexes compiled once (on first use); no YAML or pydantic
per call. Each field's text is scanned once for the anchors and literals of every phrase
(:class:`AnchorIndex`), each phrase that can match runs once per field (:class:`FieldText`),
however often an area is re-scored, and an area none of whose phrases matches and none of whose
topics is present scores (0.0, []) without being looked at.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from dualscope.classify.phrases import AnchorIndex, FieldText, PhraseList
from dualscope.classify.taxonomy import (
    TAXONOMY_FILE,
    TOPIC_MAP_FILE,
    AreaSpec,
    TopicRole,
    load_taxonomy_file,
    load_topic_map,
    topic_roles,
)
from dualscope.classify.text import normalise_topic_id

THRESHOLD = 1.0
W_STRONG_TITLE = 1.2  # strong phrase in the title or keywords
W_STRONG_ABSTRACT_REPEATED = 1.0  # strong phrase used at least twice in the abstract
W_STRONG_ABSTRACT_ONCE = 0.8  # a single mention in the abstract: needs a second signal
# ... unless the title and keywords name no sensitive sub-area at all: then the abstract is where
# the paper says what it is about, and its single strong mention (or combo) is enough.
W_ABSTRACT_GENERAL_TITLE = 1.0
W_COMBO_TITLE = 1.0
W_COMBO_ABSTRACT = 0.8
W_EXTRA_STRONG = 0.3
CAP_STRONG = 2.0
W_CONTEXT = 0.5
CAP_CONTEXT = 1.5
W_TOPIC = {TopicRole.CORE: 1.0, TopicRole.PARTIAL: 0.5, TopicRole.TRAP: -1.0}
W_PENALTY = 0.6
CAP_PENALTY = 1.8
_PROMINENT_FIELDS = ("title", "keywords")


@dataclass(frozen=True, slots=True)
class AreaHit:
    """One area a work belongs to: id, score and the evidence a reader can check."""

    area_id: str
    score: float
    evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AreaInfo:
    """What ``dualscope areas`` lists about an area."""

    id: str
    label: str
    parent: str | None
    description: str
    phrases: int
    topics: int


@dataclass(frozen=True, slots=True)
class _Area:
    id: str
    parent: str | None
    strong: PhraseList
    context: PhraseList
    combos: tuple[tuple[PhraseList, PhraseList], ...]
    exclusions: PhraseList
    penalties: PhraseList
    topics: dict[str, tuple[TopicRole, str]]
    setting: PhraseList
    defers_to: tuple[str, ...]
    lists: tuple[PhraseList, ...]  # all of the above
    list_ids: frozenset[int]

    @classmethod
    def compile(cls, spec: AreaSpec, topics: dict[str, tuple[TopicRole, str]]) -> _Area:
        strong = PhraseList.of(spec.phrases)
        context = PhraseList.of(spec.context)
        combos = tuple((PhraseList.of(c.all[0]), PhraseList.of(c.all[1])) for c in spec.combos)
        exclusions = PhraseList.of(spec.exclusions)
        penalties = PhraseList.of(spec.penalties)
        setting = PhraseList.of(spec.setting)
        lists = [strong, context, exclusions, penalties, setting, *(s for c in combos for s in c)]
        return cls(
            id=spec.id,
            parent=spec.parent,
            strong=strong,
            context=context,
            combos=combos,
            exclusions=exclusions,
            penalties=penalties,
            topics=topics,
            setting=setting,
            defers_to=tuple(spec.defers_to),
            lists=tuple(lists),
            list_ids=frozenset(id(p) for p in lists),
        )


@dataclass(slots=True)
class _Found:
    """Where one phrase was found: field → (count, first matched text)."""

    fields: dict[str, tuple[int, str]] = field(default_factory=dict)

    def add(self, field_name: str, snippet: str) -> None:
        count, first = self.fields.get(field_name, (0, snippet))
        self.fields[field_name] = (count + 1, first)

    def best(self) -> tuple[str, str]:
        for name in ("title", "keywords", "abstract"):
            if name in self.fields:
                return name, self.fields[name][1]
        name = next(iter(self.fields))
        return name, self.fields[name][1]


_Field = FieldText


def _overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


_Spans = dict[str, list[tuple[int, int]]]  # field name → (start, end) spans


def _hits(phrases: PhraseList, fields: Sequence[_Field], blocked: _Spans) -> dict[int, _Found]:
    """Phrase index → where it was found, ignoring matches inside blocked spans.

    The spans of accepted matches are appended to ``blocked``, so that a later, weaker phrase
    list cannot count the same words again (each piece of text is evidence once).
    """
    found: dict[int, _Found] = {}
    for field_ in fields:
        name, text = field_.name, field_.text
        spans = blocked.setdefault(name, [])
        if id(phrases) not in field_.matched:
            continue  # no phrase of the list matches in this field
        taken: list[tuple[int, int]] = []
        # Longest match first: "GPS" inside "GPS-denied" is one finding, not two.
        matches = field_.found(phrases)
        for index, start, end in sorted(matches, key=lambda m: m[1] - m[2]):
            if _overlaps(start, end, spans) or _overlaps(start, end, taken):
                continue
            taken.append((start, end))
            found.setdefault(index, _Found()).add(name, text[start:end])
        spans.extend(taken)
    return found


def _strong_weight(found: _Found, once: float = W_STRONG_ABSTRACT_ONCE) -> float:
    if any(name in found.fields for name in _PROMINENT_FIELDS):
        return W_STRONG_TITLE
    count = found.fields.get("abstract", (0, ""))[0]
    return W_STRONG_ABSTRACT_REPEATED if count >= 2 else once


# Words that introduce an example or an application ("tasks such as face recognition"): a mention
# after them, in the same clause, is a passing mention and never gets the general-title weight.
_PASSING_CUE = re.compile(
    r"\b(?:such\s+as|e\.\s?g\.|including|includes?|for\s+(?:example|instance)|like|"
    r"applications?|applied\s+to|other\s+tasks|tasks|as\s+well\s+as|transfers?\s+to|"
    r"extends?\s+to|ranging\s+from|from\s+\w+\s+to)\b[^.;:]*$",
    re.IGNORECASE,
)
# A mention that is one item of an enumeration ("on ImageNet, COCO and a face recognition
# benchmark") names one of several things the paper touches: also a passing mention.
_LIST_ITEM = re.compile(r"(?:,|\band|\bor)\s+(?:an?\s+|the\s+)?$", re.IGNORECASE)
_ABSTRACT_ITEM = re.compile(r'^abstract: "([^"]+)"')


def _passing(abstract: str, evidence: Sequence[str]) -> bool:
    """Whether every abstract strong/combo item of ``evidence`` is a passing mention."""
    found = False
    for item in evidence:
        match = _ABSTRACT_ITEM.match(item)
        if match is None or item.endswith("(context)"):
            continue
        found = True
        at = abstract.find(match.group(1))
        before = abstract[max(0, at - 80) : at]
        if at < 0 or not (_PASSING_CUE.search(before) or _LIST_ITEM.search(before)):
            return False
    return found


def _prominent(evidence: Sequence[str]) -> bool:
    """Whether any evidence item comes from the title or the keywords."""
    return any(item.startswith(_PROMINENT_FIELDS) for item in evidence)


class Classifier:
    """Classify works into technology areas. Build once (:meth:`default`), call many times."""

    def __init__(
        self, specs: Sequence[AreaSpec], roles: dict[str, dict[str, tuple[TopicRole, str]]]
    ):
        self._specs = tuple(specs)
        self._roles = roles
        self._areas = tuple(_Area.compile(s, roles.get(s.id, {})) for s in specs)
        self._subs = tuple(area for area in self._areas if area.parent is not None)
        self._index = AnchorIndex(phrases for area in self._areas for phrases in area.lists)
        # which areas a phrase list or a topic can give a score to
        self._areas_of_list: dict[int, set[str]] = {}
        self._areas_of_topic: dict[str, set[str]] = {}
        for area in self._areas:
            for list_id in area.list_ids:
                self._areas_of_list.setdefault(list_id, set()).add(area.id)
            for topic_id in area.topics:
                self._areas_of_topic.setdefault(topic_id, set()).add(area.id)
        self._top = frozenset(s.id for s in specs if s.parent is None)
        self._children: dict[str, list[str]] = {}
        for spec in specs:
            if spec.parent:
                self._children.setdefault(spec.parent, []).append(spec.id)

    def __reduce__(self) -> tuple[type[Classifier], tuple[Any, ...]]:
        # The index is keyed by object ids: a copy (pickle, deepcopy) is rebuilt from the specs.
        return (type(self), (self._specs, self._roles))

    @classmethod
    def default(cls) -> Classifier:
        """The classifier for the bundled taxonomy (loaded and compiled once, then cached)."""
        return _default_classifier()

    @classmethod
    def from_files(
        cls, taxonomy_path: str | None = None, topic_map_path: str | None = None
    ) -> Classifier:
        """A classifier for other taxonomy/topic-map files (validated the same way)."""
        from pathlib import Path

        tax_path = Path(taxonomy_path) if taxonomy_path else TAXONOMY_FILE
        map_path = Path(topic_map_path) if topic_map_path else TOPIC_MAP_FILE
        taxonomy = load_taxonomy_file(tax_path)
        topic_map = load_topic_map(map_path)
        return cls(taxonomy.areas, topic_roles(taxonomy, topic_map, tax_path, map_path))

    @property
    def areas(self) -> tuple[AreaInfo, ...]:
        """Every area, EU areas first, in file order."""
        infos = [
            AreaInfo(
                id=s.id,
                label=s.label,
                parent=s.parent,
                description=s.description,
                phrases=len(s.phrases)
                + len(s.context)
                + sum(len(c.all[0]) + len(c.all[1]) for c in s.combos),
                topics=len(s.topics),
            )
            for s in self._specs
        ]
        return tuple(sorted(infos, key=lambda a: a.parent is not None))

    def classify(
        self,
        title: str | None,
        abstract: str | None = None,
        keywords: Sequence[str] = (),
        topics: Sequence[tuple[str, str]] = (),
    ) -> list[AreaHit]:
        """Areas of one work, best first; every hit carries its evidence.

        ``topics`` are (OpenAlex topic id or URL, display name) pairs. Sub-areas come with their
        parent EU area ("via sub-area ...").
        """
        keyword_text = "; ".join(k.strip() for k in keywords if isinstance(k, str) and k.strip())
        fields: list[_Field] = [
            FieldText(name, text, self._index)
            for name, text in (
                ("title", title or ""),
                ("keywords", keyword_text),
                ("abstract", abstract or ""),
            )
            if text.strip()
        ]
        topic_names: dict[str, str] = {}
        for raw_id, name in topics:
            topic_id = normalise_topic_id(raw_id)
            if topic_id:
                topic_names[topic_id] = name or ""
        # An area none of whose phrases matches and none of whose topics is present scores
        # exactly (0.0, []): only the others are scored.
        scored: set[str] = set()
        for field_ in fields:
            for list_id in field_.matched:
                scored |= self._areas_of_list[list_id]
        for topic_id in topic_names:
            scored |= self._areas_of_topic.get(topic_id, set())
        if not scored:  # every area scores (0.0, []), below THRESHOLD: no hit (most works)
            return []
        own = {
            area.id: self._score(area, fields, topic_names) if area.id in scored else (0.0, [])
            for area in self._areas
        }
        # the passes below leave an area scoring (0.0, []) as it is: only scored ones matter
        subs = [area for area in self._subs if area.id in scored]
        if not any(_prominent(own[area.id][1]) for area in subs):
            # A general title ("Learning discriminative features with an angular margin"): the
            # abstract alone says what the paper is about, so its single strong mention counts
            # in full. Only scores that this can lift are recomputed.
            lift = W_ABSTRACT_GENERAL_TITLE - min(W_STRONG_ABSTRACT_ONCE, W_COMBO_ABSTRACT)
            abstract = abstract or ""
            for area in subs:
                if THRESHOLD - lift <= own[area.id][0] < THRESHOLD:
                    lifted = self._score(
                        area, fields, topic_names, abstract_once=W_ABSTRACT_GENERAL_TITLE
                    )
                    if not _passing(abstract, lifted[1]):
                        own[area.id] = lifted
        for area in subs:
            # "Face recognition for CCTV footage" is a face paper: once a sub-area it defers to is
            # labelled, an area's setting phrases (CCTV, surveillance cameras) stop counting.
            deferred = any(own[other][0] >= THRESHOLD for other in area.defers_to)
            if deferred and own[area.id][0] >= THRESHOLD:
                own[area.id] = self._score(area, fields, topic_names, drop_setting=True)
        return self._assemble(own)

    def _assemble(self, own: dict[str, tuple[float, list[str]]]) -> list[AreaHit]:
        hits: dict[str, AreaHit] = {}
        for area in self._areas:
            score, evidence = own[area.id]
            if area.parent is not None and score >= THRESHOLD and evidence:
                hits[area.id] = AreaHit(area.id, round(score, 2), tuple(evidence))
        for area in self._areas:
            if area.parent is not None:
                continue
            score, evidence = own[area.id]
            children = [hits[c] for c in self._children.get(area.id, []) if c in hits]
            if children:
                via = [f"via sub-area {c.area_id}" for c in children]
                own_evidence = evidence if score > 0 else []
                best = max([score, *(c.score for c in children)])
                hits[area.id] = AreaHit(area.id, round(best, 2), tuple(via + own_evidence))
            elif score >= THRESHOLD and evidence:
                hits[area.id] = AreaHit(area.id, round(score, 2), tuple(evidence))
        # Best first; at equal score a sub-area comes before its EU area.
        return sorted(hits.values(), key=lambda h: (-h.score, h.area_id in self._top, h.area_id))

    def _score(
        self,
        area: _Area,
        fields: Sequence[_Field],
        topic_names: dict[str, str],
        abstract_once: float = W_STRONG_ABSTRACT_ONCE,
        drop_setting: bool = False,
    ) -> tuple[float, list[str]]:
        # Exclusion spans first; then strong, combo and context matches claim their words in
        # that order, so the same words never count twice.
        blocked: _Spans = {f.name: [(s, e) for _, s, e in f.found(area.exclusions)] for f in fields}
        if drop_setting:
            for f in fields:
                blocked[f.name].extend((s, e) for _, s, e in f.found(area.setting))
        strong = _hits(area.strong, fields, blocked)
        evidence: list[str] = []
        weights: list[float] = []
        for index in sorted(strong, key=lambda i: -_strong_weight(strong[i], abstract_once)):
            name, snippet = strong[index].best()
            weights.append(_strong_weight(strong[index], abstract_once))
            evidence.append(f'{name}: "{snippet}"')
        for left, right in area.combos:
            combo = self._combo(left, right, fields, blocked, abstract_once)
            if combo:
                weights.append(combo[0])
                evidence.append(combo[1])
        score = 0.0
        if weights:
            weights.sort(reverse=True)
            score = min(CAP_STRONG, weights[0] + W_EXTRA_STRONG * (len(weights) - 1))
        context = _hits(area.context, fields, blocked)
        if context:
            score += min(CAP_CONTEXT, W_CONTEXT * len(context))
            for index in sorted(context):
                name, snippet = context[index].best()
                evidence.append(f'{name}: "{snippet}" (context)')
        score += self._topics(area, topic_names, evidence)
        penalties = _hits(area.penalties, fields, {})
        score -= min(CAP_PENALTY, W_PENALTY * len(penalties))
        return score, evidence

    @staticmethod
    def _combo(
        left: PhraseList,
        right: PhraseList,
        fields: Sequence[_Field],
        blocked: _Spans,
        abstract_weight: float = W_COMBO_ABSTRACT,
    ) -> tuple[float, str] | None:
        """A phrase of each side in the same field (title, keywords or abstract)."""
        for field_ in fields:  # title, keywords, abstract: the most prominent field wins
            name = field_.name
            if id(left) not in field_.matched or id(right) not in field_.matched:
                continue  # one side has no match in this field
            # Each side is searched on its own, so the sides may share words: "ship" and
            # "ship recognition", "ethnicity" and "infer ethnicity" satisfy a combo together.
            trial_left = {name: list(blocked.get(name, []))}
            trial_right = {name: list(blocked.get(name, []))}
            left_hits = _hits(left, [field_], trial_left)
            right_hits = _hits(right, [field_], trial_right)
            if left_hits and right_hits:
                # a satisfied combo claims the words of both sides
                blocked[name] = sorted(set(trial_left[name]) | set(trial_right[name]))
                a_text = next(iter(left_hits.values())).best()[1]
                b_text = next(iter(right_hits.values())).best()[1]
                weight = W_COMBO_TITLE if name in _PROMINENT_FIELDS else abstract_weight
                return weight, f'{name}: "{a_text}" + "{b_text}"'
        return None

    @staticmethod
    def _topics(area: _Area, topic_names: dict[str, str], evidence: list[str]) -> float:
        seen: dict[TopicRole, float] = {}
        for topic_id, name in topic_names.items():
            mapped = area.topics.get(topic_id)
            if mapped is None:
                continue
            role, map_name = mapped
            seen[role] = W_TOPIC[role]
            if role is not TopicRole.TRAP:
                evidence.append(f"topic {topic_id} {name or map_name} ({role.value})")
        return sum(seen.values())


@functools.lru_cache(maxsize=1)
def _default_classifier() -> Classifier:
    taxonomy = load_taxonomy_file(TAXONOMY_FILE)
    topic_map = load_topic_map(TOPIC_MAP_FILE)
    return Classifier(taxonomy.areas, topic_roles(taxonomy, topic_map))
