"""Web of Science addresses: who is where, from ``C1`` and ``RP``.

``C1`` holds one address per entry. Since 2008 an entry names its authors in brackets::

    [Zhao, Ziqi; Xu, Kun] Zhejiang Chinese Med Univ, Hangzhou 310053, Peoples R China.

Older records have no brackets: every address then belongs to every author. ``RP`` is the
reprint/corresponding address, ``Toh, ML (corresponding author), Univ Technol Sarawak, ...``
(older: ``(reprint author)``), several joined by ``; ``. Bracket names are written like ``AF``
(full names) and ``RP`` names like ``AU`` (short names); :class:`AuthorIndex` finds an author by
either, falling back to surname + first initial.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from dualscope.geo.address import country_from_text
from dualscope.sources.records import split_outside

_RP_MARK = re.compile(r"\s*\((?:corresponding|reprint) author\)\s*,?\s*", re.IGNORECASE)
_NAME_CHARS = re.compile(r"[^a-z0-9, ]+")
# "Abraham M., 1909, RC CIRC MAT PALERMO, V28, P1": a cited reference, seen under C1 when a
# hand-edited file lost its CR tag. Never an address.
_CITED_REFERENCE = re.compile(r"^[^,\[]{1,80}, (?:1[5-9]|20)\d\d, ")


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """Lower-case ASCII name without punctuation other than the surname comma."""
    if not name.isascii():
        name = unicodedata.normalize("NFKD", name)
        name = "".join(ch for ch in name if not unicodedata.combining(ch))
    name = _NAME_CHARS.sub(" ", name.lower().replace("-", " ").replace(".", " "))
    return " ".join(name.split()).replace(" ,", ",")


def initial_key(name: str) -> str:
    """``surname f``: surname and first initial, the loosest form WoS names share."""
    key = name_key(name)
    surname, _, given = key.partition(",")
    given = given.strip()
    return f"{surname.strip()} {given[:1]}".strip()


class AuthorIndex:
    """Finds an author's position from an ``AF``- or ``AU``-style name."""

    def __init__(self, full_names: list[str], short_names: list[str]) -> None:
        self._exact: dict[str, int | None] = {}  # None: two authors share the name
        self._loose: dict[str, list[int]] = {}
        for position, names in enumerate(zip(full_names, short_names, strict=True)):
            for name in names:
                if name:
                    key = name_key(name)
                    seen = self._exact.get(key, position)
                    self._exact[key] = position if seen == position else None
            loose = initial_key(names[0] or names[1])
            self._loose.setdefault(loose, []).append(position)

    def find(self, name: str) -> int | None:
        """Position of ``name``, or None when it is unknown or ambiguous."""
        key = name_key(name)
        if key in self._exact:
            return self._exact[key]
        loose = self._loose.get(initial_key(name), [])
        return loose[0] if len(loose) == 1 else None


def split_c1_entry(entry: str) -> tuple[list[str], str]:
    """(bracketed author names, address) of one ``C1`` entry; no names for old-style entries."""
    entry = entry.strip()
    if entry.startswith("["):
        close = entry.find("]")
        if close > 0:
            names = [n.strip() for n in entry[1:close].split(";") if n.strip()]
            return names, clean_address(entry[close + 1 :])
    return [], clean_address(entry)


def clean_address(address: str) -> str:
    """An address without surrounding spaces or its final full stop."""
    return address.strip().rstrip(".").strip()


def split_c1_field(value: str) -> list[str]:
    """Entries of a tab-delimited ``C1`` cell: ``; `` outside brackets separates addresses."""
    return split_outside(value, ";", "[", "]")


def join_c1_lines(lines: Iterable[str]) -> list[str]:
    """C1 entries of a plain-text record: one per line, rejoining lines that wrapped.

    WoS ends each address with a full stop and does not wrap them, but hand-edited files do
    both: a line continues the previous entry only when that entry has no full stop, names no
    country yet, and the line does not open a new ``[Authors]`` group. Several entries on one
    line (``[A] Addr 1; [B] Addr 2``, as in tab-delimited files) are split. Lines shaped like
    cited references are dropped.
    """
    entries: list[str] = []
    for line in lines:
        line = line.strip()
        if not line or _CITED_REFERENCE.match(line):
            continue
        previous = entries[-1] if entries else None
        if (
            previous is not None
            and not previous.endswith(".")
            and not line.startswith("[")
            and country_from_text(previous) is None
        ):
            entries[-1] = f"{previous} {line}"
        else:
            entries.append(line)
    return [part for entry in entries for part in split_c1_field(entry)]


def parse_rp(value: str) -> list[tuple[str, str]]:
    """(short author name, address) pairs of an ``RP`` field; empty when it has no marker."""
    parts = _RP_MARK.split(value.strip())
    if len(parts) < 2:
        return []
    pairs: list[tuple[str, str]] = []
    name = parts[0].strip()
    for part in parts[1:-1]:
        address, _, next_name = part.rpartition(";")
        pairs.append((name, clean_address(address)))
        name = next_name.strip()
    pairs.append((name, clean_address(parts[-1].rstrip(";"))))
    return [(n, a) for n, a in pairs if n and a]
