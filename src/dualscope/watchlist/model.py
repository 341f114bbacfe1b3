"""Typed model of the watchlist: every fact carries its source.

Pydantic models validate the YAML at the edge (a bad entry fails with file and entry named, see
``loader.py``); the matcher then builds its own plain indexes from them for speed.
"""

from __future__ import annotations

import builtins
import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

# Re-exported: defined apart so the command line can name them without loading pydantic.
from dualscope.watchlist.categories import CATEGORIES as CATEGORIES
from dualscope.watchlist.categories import Category as Category

AliasKind = Literal[
    "name",  # official/current English or other-language name variant
    "former",  # former name
    "cover",  # cover name used to hide the institution
    "unit",  # military unit number (Unit 63820)
    "acronym",  # BIT, HIT, NUDT: matched only with Chinese context
    "chinese",  # Chinese-script name
    "translation",  # alternative English translation
    "abbreviation",  # Web of Science style abbreviation
]

IdScheme = Literal["ror", "openalex", "grid", "wikidata", "isni"]
Confidence = Literal["verified", "probable"]
ListName = Literal["aspi_cdut", "dod_1286", "bis_entity_list", "dod_1260h", "casi_pla_37"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    """Where a fact comes from: a name, a URL, and the date it was published or read."""

    name: str
    url: str | None = None
    date: dt.date | None = None  # `dt.`: the field name shadows the type
    note: str | None = None


class Alias(_Strict):
    name: str = Field(min_length=1)
    kind: AliasKind = "name"
    lang: str | None = None  # "en", "zh", ...
    source: str | None = None  # key into Entity.sources or a URL
    note: str | None = None


class Identifier(_Strict):
    scheme: IdScheme
    value: str = Field(min_length=1)
    confidence: Confidence = "verified"
    source: str  # evidence, e.g. "ror-records@d93fc66787:v1.52/02n6w8087.json"

    @field_validator("value")
    @classmethod
    def _no_url_prefix(cls, value: str) -> str:
        for prefix in ("https://ror.org/", "https://openalex.org/"):
            if value.startswith(prefix):
                return value[len(prefix) :]
        return value


class ListMembership(_Strict):
    """Membership of an official or research list, by edition, with dates and source."""

    list: ListName
    edition: str | None = None  # "2020", "2024", ...
    name_on_list: str | None = None
    # Other names the list itself gives for the entry (kept as list facts, not matcher aliases:
    # official lists sometimes alias a different institution).
    aliases_on_list: builtins.list[str] = Field(default_factory=builtins.list)  # `list` is a field
    start: dt.date | None = None
    end: dt.date | None = None  # set when the entry left the list; rows are never deleted
    source: Source


class Subunit(_Strict):
    """A campus, college, laboratory, numbered institute or named subsidiary."""

    name: str
    name_zh: str | None = None
    kind: Literal["campus", "college", "laboratory", "institute", "subsidiary", "other"] = "other"
    identifiers: list[Identifier] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)
    source: str | None = None
    # Official lists that name this sub-unit itself (e.g. a Defense S&T key laboratory on the
    # DoD 1286 list), as opposed to its parent institution.
    lists: list[ListMembership] = Field(default_factory=list)
    note: str | None = None


class Location(_Strict):
    address: str | None = None
    city: str | None = None
    province: str | None = None
    lat: float | None = None
    lon: float | None = None


class Entity(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name_en: str
    name_zh: str | None = None
    category: Category
    aliases: list[Alias] = Field(default_factory=list)
    supervising_agencies: list[str] = Field(default_factory=list)
    topics: list[str] = Field(default_factory=list)
    defence_labs: list[str] = Field(default_factory=list)
    subunits: list[Subunit] = Field(default_factory=list)
    location: Location = Field(default_factory=Location)
    identifiers: list[Identifier] = Field(default_factory=list)
    lists: list[ListMembership] = Field(default_factory=list)
    sources: list[Source] = Field(min_length=1)
    notes: str | None = None

    def ids(self, scheme: str) -> list[str]:
        return [i.value for i in self.identifiers if i.scheme == scheme]

    def all_names(self) -> list[str]:
        names = [self.name_en, *(a.name for a in self.aliases)]
        if self.name_zh:
            names.append(self.name_zh)
        return names


class Watchlist(_Strict):
    """All entities plus the version string the reports cite."""

    version: str
    entities: list[Entity]
    sources: list[Source] = Field(default_factory=list)

    def get(self, entity_id: str) -> Entity | None:
        for entity in self.entities:
            if entity.id == entity_id:
                return entity
        return None

    def by_category(self, categories: set[str]) -> list[Entity]:
        return [e for e in self.entities if e.category in categories]
