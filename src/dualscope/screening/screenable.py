"""Which works a screening could ever flag: the ingest keeps their details, the rest slim.

A corpus holds far more works than a screening can flag: every flag needs an author at a
watchlist entity, and every watchlist entity is a Chinese institution named in a way the
matcher knows. Storing every work's authorships, abstract and topics would make ``ingest``
(and ``screen FILE``) cost several times the reading of the file, and the full OpenAlex
snapshot would not fit on a laptop. So, like the scan stage of a snapshot-scale run, ingest
keeps in full only the works that **could** be flagged, and a slim row (id, DOI, title, year,
``updated_date``, source) for every other one: counts, duplicates and "newest
``updated_date`` wins" stay exact for all works.

A staged work is kept in full (``screenable``) when, for the entities of the categories asked
for (``ingest --categories``, all by default; ``screen FILE`` filters for its own
``--categories``):

- one of its institutions has an OpenAlex id, ROR id or lineage id the watchlist lists; or
- one of its raw affiliation strings, or the name of an institution OpenAlex places in China
  or nowhere, passes the matcher's pre-filter (:mod:`dualscope.matching.prefilter`): it holds
  an anchor token of some alias, an acronym, or Chinese script. The pre-filter is a proven
  superset of what the matcher matches (tests/matching/test_prefilter.py), so no work the
  matcher would flag is ever stored slim. A raw string ending with a country other than
  China does not count: screening never sends it to the matcher
  (:func:`dualscope.screening.resolve.foreign_tail`); or
- it shares its DOI with such a work (in this file or already in the store): records of one
  paper from two sources are screened together.

The filter depends on the watchlist, so each ingested file records the :attr:`digest` of the
filter that kept it (``ingested_files.kept``: watchlist fingerprint and categories). A screening
with another watchlist or wider categories names the files it does not cover; ingesting them
again re-reads them with the new filter, and ``--keep-all`` stores every work in full. A file
whose slim works share a DOI with a work a later file brought in full is read again by that
ingest (``store.ingest._reread_slim_siblings``).

The pass runs on Arrow batches of the staged authorships (vectorised C++, Python only per
distinct word): on a distributed engine it is a vectorised (pandas/Arrow) UDF over the scan's
output, like the rest of the scan stage.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Collection
from dataclasses import dataclass

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from dualscope.geo.vocab import vocab
from dualscope.matching.index import WatchlistIndex, written_id_forms
from dualscope.matching.prefilter import Anchors, Prefilter
from dualscope.store.arrow import query_arrow, temp_table
from dualscope.store.ingest import KEPT_ALL

# Bump when the logic below changes what is kept: files filtered by an older logic are then
# re-read on re-ingest, like files filtered with another watchlist.
FILTER_VERSION = 2  # 2: raw strings ending with a foreign country keep no work

BATCH_ROWS = 20_000  # works per Arrow batch: bounds the memory of the pass (~100 MB)

# The staged works' authorships, for the Arrow pass of ScreenableFilter.mark.
AUTHORSHIPS = "SELECT rowid AS row, authorships FROM {stage}"
# Kept rows, and the rows of other works sharing their DOI, in this file or in the store.
# A copy of the *same* work (an older or newer version) is no sibling: its own content decides.
WITH_DOI_SIBLINGS = """
CREATE OR REPLACE TEMP TABLE {target} AS
WITH staged AS (
    SELECT rowid AS row, work_id, doi_key AS doi FROM {stage}
), hit AS (
    SELECT staged.* FROM staged SEMI JOIN _keep_rows k ON k.row = staged.row
), sibling AS (
    SELECT s.row FROM staged s JOIN hit h ON h.doi = s.doi AND h.work_id <> s.work_id
    UNION
    SELECT s.row FROM staged s JOIN works w ON w.doi = s.doi AND w.work_id <> s.work_id
    WHERE w.screenable IS NOT FALSE
)
SELECT row FROM hit
UNION
SELECT row FROM sibling
"""


@dataclass
class ScreenableFilter:
    """Marks the staged works a screening of ``categories`` could flag (see module doc)."""

    prefilter: Prefilter
    ids: frozenset[str]  # identifiers of the selected entities, lower-cased
    categories: frozenset[str]
    watchlist: str  # fingerprint of the whole watchlist as the matcher sees it

    @classmethod
    def for_matcher(
        cls, matcher: object, categories: Collection[str] | None = None
    ) -> ScreenableFilter | None:
        """The filter of a :class:`~dualscope.matching.matcher.Matcher` for watchlist
        ``categories`` (all when ``None``); ``None`` for any other matcher-like object (a test
        double): then every work is kept in full."""
        index = getattr(matcher, "index", None)
        if not isinstance(index, WatchlistIndex):
            return None
        chosen = frozenset(
            e.category
            for e in index.entities.values()
            if categories is None or e.category in categories
        )
        prefilter = Prefilter.for_matcher(matcher, chosen)
        if prefilter is None:
            return None
        wanted = {e.id for e in index.entities.values() if e.category in chosen}
        ids = frozenset(
            i.lower() for i, targets in index.ids.items() if any(t[0] in wanted for t in targets)
        )
        whole = Prefilter.for_matcher(matcher, None)
        assert whole is not None
        return cls(prefilter, ids, chosen, _fingerprint(whole, index))

    @property
    def digest(self) -> str:
        """What ``ingested_files.kept`` records: the watchlist and the categories filtered for."""
        return f"{self.watchlist}:{','.join(sorted(self.categories))}"

    def covers(self, kept: str | None) -> bool:
        """Whether a file stored with filter ``kept`` already holds in full every work this
        filter would keep (same watchlist, at least these categories)."""
        if kept is None or kept == KEPT_ALL:
            return True
        watchlist, _, categories = kept.partition(":")
        return watchlist == self.watchlist and self.categories <= set(categories.split(","))

    def mark(self, con: duckdb.DuckDBPyConnection, stage: str, target: str) -> int:
        """Create temp table ``target(row)``: the ``rowid`` of each row of ``stage`` to keep in full
        (``stage`` has the columns of ``store.ingest.READ_COLUMNS``). Returns how many.

        The authorships stream to Arrow in batches; strings, tokens and identifiers are
        flattened and compared there in bulk (vectorised C++), and Python only sees each
        distinct token. Anchors are chosen on the first batch and kept for the rest (any
        choice lets every possible match through; a good one lets few others through).
        """
        reader = query_arrow(con, AUTHORSHIPS.format(stage=stage)).to_arrow_reader(
            batch_size=BATCH_ROWS
        )
        anchors: Anchors | None = None
        kept: list[pa.Array] = []
        for batch in reader:
            rows, anchors = self.batch_rows(batch.column("authorships"), anchors)
            kept.append(pc.take(batch.column("row"), pa.array(rows, type=pa.int64())))
        rows_kept = pa.concat_arrays(kept) if kept else pa.array([], type=pa.int64())
        pa.default_memory_pool().release_unused()  # give the batches' memory back now
        temp_table(con, "_keep_rows", pa.table({"row": rows_kept.cast(pa.int64())}))
        try:
            con.execute(WITH_DOI_SIBLINGS.format(target=target, stage=stage))
        finally:
            con.execute("DROP TABLE IF EXISTS _keep_rows")
        row = con.execute(f"SELECT count(*) FROM {target}").fetchone()  # noqa: S608
        return int(row[0]) if row else 0

    def ready(self) -> bool:
        """Always: the filter is built (see ``store.ingest.KeepFilter``)."""
        return True

    def rows_to_keep(self, authorships: pa.Array) -> list[int]:
        """Row numbers (ascending) of the works in ``authorships`` (one list per work) with an
        affiliation string, institution name or identifier that may name a selected entity."""
        return self.batch_rows(authorships, None)[0]

    def batch_rows(
        self, authorships: pa.Array | pa.ChunkedArray, anchors: Anchors | None
    ) -> tuple[list[int], Anchors | None]:
        """:meth:`rows_to_keep` for one batch of a stream (``store.stream``, :meth:`mark`), and
        the anchors to use for the next: chosen on the first batch (``anchors`` ``None``)."""
        # the strings and identifiers of each chunk, then together (never the whole authorships:
        # a stream hands over a batch as chunks, and joining them would copy every field)
        chunks = authorships.chunks if isinstance(authorships, pa.ChunkedArray) else [authorships]
        parts: list[dict[str, tuple[pa.Array, pa.Array]]] = []
        offset = 0
        for chunk in chunks:
            if len(chunk):
                parts.append(_leaves(chunk, offset))
            offset += len(chunk)
        if not parts:
            return [], anchors
        leaves = {
            kind: (
                pa.concat_arrays([part[kind][0] for part in parts]),
                pa.concat_arrays([part[kind][1] for part in parts]),
            )
            for kind in parts[0]
        }
        found, anchors = self._text_hits(leaves["raw"], leaves["names"], anchors)
        hits = [found]
        for kind in ("id", "ror", "lineage"):
            values, works = leaves[kind]
            plain = pc.utf8_lower(pc.utf8_trim_whitespace(values))
            known = pc.fill_null(pc.is_in(plain, value_set=self._id_forms), False)
            hits.append(pc.filter(works, known))
        rows = pc.unique(pa.concat_arrays(hits))
        return sorted(rows.to_pylist()), anchors

    @functools.cached_property
    def _id_forms(self) -> pa.Array:
        """Every written form ``index.normalise_id`` reads as one of :attr:`ids`, lower-cased."""
        return pa.array(sorted(written_id_forms(self.ids)), type=pa.string())

    def _text_hits(
        self,
        raw: tuple[pa.Array, pa.Array],
        names: tuple[pa.Array, pa.Array],
        anchors: Anchors | None,
    ) -> tuple[pa.Array, Anchors]:
        """Works (by row) holding a raw affiliation string or an institution name the
        pre-filter lets through, and the anchors used (chosen from this text's token
        frequencies when ``anchors`` is ``None``). ``raw`` and ``names``: strings, and the row
        of the work holding each.

        A raw string that ends with a country other than China is never sent to the matcher
        (``resolve.foreign_tail``), so it keeps no work either ("..., Milan, Italy" passes the
        pre-filter as a possible typo of an anchor word, and would keep most Italian
        co-publications in full for nothing). Those are set aside first: finding them costs
        less than the pre-filter.
        """
        from dualscope.screening.resolve import foreign_tails

        home = pc.invert(foreign_tails(raw[0]))
        text = pa.concat_arrays([pc.filter(raw[0], home), names[0]])
        works = pa.concat_arrays([pc.filter(raw[1], home), names[1]])
        passing, anchors = self.prefilter.passes(text, anchors)
        return pc.filter(works, passing), anchors


def _leaves(authorships: pa.Array, offset: int) -> dict[str, tuple[pa.Array, pa.Array]]:
    """What the filter reads from one chunk of authorships (one list per work): raw strings,
    the names of institutions OpenAlex places in China or nowhere (resolve reads only those),
    and institution, ROR and lineage ids; each with the row of its work (``offset`` + its
    position in the chunk)."""
    authors = pc.list_flatten(authorships)
    work_of_author = pc.add(pc.list_parent_indices(authorships).cast(pa.int64()), offset)
    raw = authors.field("raw_affiliation_strings")
    institutions = authors.field("institutions")
    inst = pc.list_flatten(institutions)
    work_of_inst = pc.take(work_of_author, pc.list_parent_indices(institutions))
    country = pc.fill_null(pc.utf8_upper(inst.field("country_code")), "")
    chinese = pc.is_in(country, value_set=pa.array(["", "CN"]))
    legacy = authors.field("raw_affiliation_string")  # the pre-2023 schema, mostly null
    present = pc.is_valid(legacy)
    lineage = inst.field("lineage")
    return {
        "raw": (
            pa.concat_arrays(
                [
                    pc.list_flatten(raw).cast(pa.string()),
                    pc.filter(legacy, present).cast(pa.string()),
                ]
            ),
            pa.concat_arrays(
                [
                    pc.take(work_of_author, pc.list_parent_indices(raw)),
                    pc.filter(work_of_author, present),
                ]
            ),
        ),
        "names": (
            pc.filter(inst.field("display_name"), chinese).cast(pa.string()),
            pc.filter(work_of_inst, chinese),
        ),
        "id": (inst.field("id").cast(pa.string()), work_of_inst),
        "ror": (inst.field("ror").cast(pa.string()), work_of_inst),
        "lineage": (
            pc.list_flatten(lineage).cast(pa.string()),
            pc.take(work_of_inst, pc.list_parent_indices(lineage)),
        ),
    }


def _fingerprint(prefilter: Prefilter, index: WatchlistIndex) -> str:
    """A fingerprint of everything the filter depends on: names, acronyms, ids, vocabulary,
    categories, for the whole watchlist."""
    payload = {
        "version": FILTER_VERSION,
        "keys": sorted({"\t".join((*key, entry.entity_id)) for key, entry in prefilter.entries}),
        "acronyms": sorted(prefilter.acronym_pieces),
        "vocabulary": sorted(prefilter.vocabulary),
        "ids": sorted(f"{i}\t{t[0]}" for i, targets in index.ids.items() for t in targets),
        "categories": sorted(f"{e.id}\t{e.category}" for e in index.entities.values()),
        # the country names that make a raw string foreign (resolve.foreign_tail)
        "countries": sorted(f"{k}\t{v}" for k, v in vocab().aliases.items()),
    }
    blob = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return "watchlist-" + hashlib.sha256(blob).hexdigest()[:16]


def default_filter(categories: Collection[str] | None = None) -> ScreenableFilter | None:
    """The filter of the bundled matcher and watchlist (or the one the settings point to)."""
    from dualscope.matching.matcher import Matcher

    return ScreenableFilter.for_matcher(Matcher.default(), categories)
