"""Stable pseudonyms for researchers, for publishing results under data-protection rules.

A researcher's code is ``R-`` plus the first 8 hex digits of SHA-256(salt, author id or normalised
name). The salt is random, created once per store and kept in the table ``report_pseudonym_salt``,
so codes are stable between runs on the same store but cannot be reversed by hashing a list of
candidate names (the salt never leaves the store). Free text that may quote a name (evidence
strings, explanations, Web of Science ``[Author, A]`` affiliation prefixes) is scrubbed too.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from collections.abc import Iterable

import duckdb

from dualscope.errors import DualscopeError

SALT_TABLE = "report_pseudonym_salt"
# "[Wang, L; Smith, J] Natl Univ Def Technol, ..." (Web of Science C1 style author prefix)
_WOS_AUTHORS = re.compile(r"\[[^\]]*\]\s*")


def _normal(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).casefold()
    return " ".join(text.split())


def store_salt(con: duckdb.DuckDBPyConnection) -> str:
    """The store's pseudonym salt, created on first use (needs a writable connection then)."""
    cur = con.cursor()
    try:
        exists = cur.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [SALT_TABLE]
        ).fetchone()
        if exists and exists[0]:
            row = cur.execute(f"SELECT salt FROM {SALT_TABLE} LIMIT 1").fetchone()  # noqa: S608
            if row:
                return str(row[0])
        salt = secrets.token_hex(16)
        try:
            cur.execute(f"CREATE TABLE IF NOT EXISTS {SALT_TABLE} (salt VARCHAR)")
            cur.execute(f"INSERT INTO {SALT_TABLE} VALUES (?)", [salt])  # noqa: S608
        except duckdb.Error as exc:
            raise DualscopeError(
                "cannot create the pseudonym salt: the store is read-only",
                hint="run `dualscope report --pseudonymise` once on a writable store first",
            ) from exc
        return salt
    finally:
        cur.close()


class Pseudonymiser:
    """Maps researchers to stable codes and scrubs their names out of free text."""

    def __init__(self, salt: str) -> None:
        self._salt = salt
        self._by_name: dict[str, str] = {}
        self._pattern: re.Pattern[str] | None = None

    def code(self, author_id: str | None, name: str | None) -> str:
        """The code of one researcher (keyed by author id when known, else by name)."""
        key = (author_id or "").strip() or _normal(name or "")
        digest = hashlib.sha256(f"{self._salt}\x00{key}".encode()).hexdigest()
        code = f"R-{digest[:8].upper()}"
        if name and name.strip() and name not in self._by_name:
            self._by_name[name] = code
            self._pattern = None
        return code

    def register(self, people: Iterable[tuple[str | None, str | None]]) -> None:
        """Register every (author id, name) pair before scrubbing text that may quote them."""
        for author_id, name in people:
            self.code(author_id, name)

    def scrub(self, text: str | None) -> str | None:
        """``text`` with registered names replaced by their codes and WoS author lists removed."""
        if text is None:
            return None
        text = _WOS_AUTHORS.sub("[authors removed] ", text)
        if not self._by_name:
            return text
        if self._pattern is None:
            names = sorted(self._by_name, key=len, reverse=True)
            self._pattern = re.compile(
                r"(?<!\w)(" + "|".join(re.escape(n) for n in names) + r")(?!\w)"
            )
        return self._pattern.sub(lambda m: self._by_name[m.group(1)], text)


# Columns that hold free text which may quote a researcher's name.
TEXT_COLUMNS = ("evidence", "affiliation", "explanation")


def pseudonymise_record(row: dict[str, object], pseudo: Pseudonymiser) -> None:
    """Pseudonymise one result row in place, whatever table it comes from.

    The person columns (``author_name`` or, in ``researchers``, ``name``, with ``author_id``)
    become the code; ``orcid`` is removed (an ORCID identifies a person as well as a name does);
    free-text columns are scrubbed.
    """
    name_col = "author_name" if "author_name" in row else None
    if name_col is None and "name" in row and "author_id" in row:
        name_col = "name"
    if name_col is not None:
        author_id = row.get("author_id")
        name = row.get(name_col)
        code = pseudo.code(
            author_id if isinstance(author_id, str) else None,
            name if isinstance(name, str) else None,
        )
        row[name_col] = code
        if "author_id" in row:
            row["author_id"] = code
    if "orcid" in row:
        row["orcid"] = None
    for col in TEXT_COLUMNS:
        value = row.get(col)
        if isinstance(value, str):
            row[col] = pseudo.scrub(value)


def people_in_store(con: duckdb.DuckDBPyConnection) -> list[tuple[str | None, str | None]]:
    """Every (author id, name) pair in the screening result."""
    # Ordered: when two researchers share a name, the first registered gives the code that
    # replaces that name in free text, so the order must not depend on DuckDB's hashing.
    sql = """
        SELECT author_id, author_name FROM screen_matches
        UNION SELECT author_id, author_name FROM screen_partners
        ORDER BY author_name NULLS LAST, author_id NULLS LAST
    """
    cur = con.cursor()
    try:
        return [(r[0], r[1]) for r in cur.execute(sql).fetchall()]
    finally:
        cur.close()


def for_store(con: duckdb.DuckDBPyConnection) -> Pseudonymiser:
    """A pseudonymiser with the store's salt and every researcher of the store registered."""
    pseudo = Pseudonymiser(store_salt(con))
    pseudo.register(people_in_store(con))
    return pseudo
