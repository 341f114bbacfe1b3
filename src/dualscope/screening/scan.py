"""The screening's SQL: one heavy scan over the corpus, then small joins on its result.

``CANDIDATE_SCAN`` is the only statement that reads every work, once: it unnests the
authorships, computes both signals per authorship (no nested lambdas per work), and keeps the
works where some authorship has each, by a GROUP BY and a semi-join (a window over the wide
rows was 1.3x slower, the nested per-work predicates 1.9x). It is plain SQL (struct field
access, higher-order list predicates, unnest) so the same step can run on Spark SQL over the
full OpenAlex snapshot (``exists``/``transform``/``explode`` for ``list_bool_or``/
``list_transform``/``unnest``) and hand its small result to the Python stage. It keeps one row
per authorship of each *candidate* co-publication:

Both signals are required of the work's DOI group (records sharing a DOI are one paper), not
of each record:

- at least one focus-country signal: an institution with a focus ``country_code``, a focus
  country in ``authorships.countries``, or an authorship with raw affiliation text but no
  institution with a country code (its country is decided later from the text);
- at least one authorship that could be Chinese or unknown: a CN institution or country, no
  institution at all, or raw affiliation text (raw-only Chinese affiliations such as
  "College of Computer, National University of Defense Technology, Changsha" name no country,
  and OpenAlex sometimes assigns them to the wrong institution).

Everything after the scan joins the candidate table with the matcher's verdicts on each
distinct raw string and each distinct institution (resolved once in Python,
:mod:`dualscope.screening.resolve`).
"""

from __future__ import annotations

# The record a DOI group (one paper) is reported under: its OpenAlex W-id when it has one, then
# the smallest id. FLAGGED picks it; the year filter of CANDIDATE_SCAN reads its year.
REPORTED_FIRST = "NOT regexp_matches({id}, '^W\\d+$'), {id}"

CANDIDATE_SCAN = f"""
CREATE OR REPLACE TEMP TABLE _screen_cand AS
WITH a AS (
    SELECT work_id, doi, publication_year AS year,
           unnest(authorships) AS au,
           generate_subscripts(authorships, 1) AS author_index
    FROM works
), p AS (
    SELECT work_id, doi, year, author_index,
           au.author.id AS author_id,
           au.author.display_name AS author_name,
           au.author.orcid AS orcid,
           coalesce(au.institutions, []) AS institutions,
           -- an empty country code places the institution nowhere, as a missing one does
           -- (as the resolver and the ingest filter read it)
           list_transform(coalesce(au.institutions, []),
                          lambda i: nullif(upper(i.country_code), '')) AS inst_countries,
           list_transform(coalesce(au.countries, []), lambda c: upper(c)) AS countries,
           list_filter(coalesce(au.raw_affiliation_strings, []), lambda s: trim(s) <> '') AS raw,
           len(coalesce(au.raw_affiliation_strings, [])) > 0 AS _has_raw
    FROM a
), q AS (
    SELECT *,
           -- a focus-country signal
           list_has_any(inst_countries, $focus) OR list_has_any(countries, $focus)
           OR (list_count(inst_countries) = 0 AND _has_raw) AS _focus_signal,
           -- an authorship that could be Chinese or unknown
           list_contains(inst_countries, 'CN') OR list_contains(countries, 'CN')
           OR len(institutions) = 0 OR _has_raw AS _cn_signal
    FROM p
), keep AS (
    -- by DOI group (the same paper from two sources): one record may hold the watchlist
    -- author and the other the partner; FLAGGED decides on the group's union. The years
    -- too: a paper's year is that of the record it is reported under (FLAGGED: an OpenAlex
    -- W-id first), so its records are kept or left together
    SELECT coalesce(doi, work_id) AS gkey FROM q GROUP BY 1
    HAVING bool_or(_focus_signal) AND bool_or(_cn_signal)
       AND ($since IS NULL AND $until IS NULL
            OR first(year ORDER BY {REPORTED_FIRST.format(id="work_id")})
               BETWEEN coalesce($since, -1) AND coalesce($until, 100000))
)
SELECT q.* EXCLUDE (_has_raw, _focus_signal, _cn_signal),
       CASE WHEN list_contains(inst_countries, 'CN') OR list_contains(countries, 'CN')
            THEN 'CN' END AS country_hint
FROM q SEMI JOIN keep ON coalesce(q.doi, q.work_id) = keep.gkey
"""  # noqa: S608 (only module constants are interpolated)

WORKS_IN_RANGE = """
SELECT count(*) FROM works
WHERE ($since IS NULL OR publication_year >= $since)
  AND ($until IS NULL OR publication_year <= $until)
"""

CANDIDATE_COUNT = "SELECT count(DISTINCT work_id) FROM _screen_cand"

# Each distinct raw affiliation string (with the CN context the matcher may use), resolved once;
# needs_country: the partner rules may need the string's country (no institution, or a country
# OpenAlex parsed that no institution accounts for).
DISTINCT_RAW = """
SELECT r AS raw, country_hint, bool_or(needs_country) AS needs_country
FROM (
    SELECT unnest(raw) AS r, country_hint,
           len(list_filter(inst_countries, lambda c: c IS NOT NULL)) = 0
           OR NOT list_has_all(inst_countries, countries) AS needs_country
    FROM _screen_cand
)
GROUP BY ALL
"""

# The distinct strings the pre-filter kept (_raw_may_match), with the matcher's CN context.
RAW_MAY_MATCH = """
SELECT d.raw, d.country_hint, d.needs_country
FROM _raw_distinct d SEMI JOIN _raw_may_match m ON m.raw = d.raw
"""

# Strings whose country the partner rules may need (see DISTINCT_RAW); the second form only
# for works whose DOI group has a watchlist hit (_screen_hits), the only works that can be
# flagged.
RAW_NEEDING_COUNTRY = "SELECT DISTINCT raw FROM _raw_distinct WHERE needs_country"
RAW_NEEDING_COUNTRY_IN_HIT_GROUPS = """
WITH g AS (
    SELECT DISTINCT coalesce(doi, work_id) AS gkey FROM _screen_cand
    WHERE work_id IN (SELECT work_id FROM _screen_hits)
)
SELECT DISTINCT r AS raw FROM (
    SELECT unnest(raw) AS r,
           len(list_filter(inst_countries, lambda c: c IS NOT NULL)) = 0
           OR NOT list_has_all(inst_countries, countries) AS needs_country
    FROM _screen_cand WHERE coalesce(doi, work_id) IN (SELECT gkey FROM g)
) WHERE needs_country
"""
# The same, for the focus countries $focus: only the strings the PARTNERS rules can use, those
# of authors without an institution country and without countries (by_raw), or with a focus
# country in authorships.countries that no institution accounts for (by_countries). An author
# whose unexplained countries are all outside the focus (often China) needs none.
RAW_FOR_PARTNERS_IN_HIT_GROUPS = """
WITH g AS (
    SELECT DISTINCT coalesce(doi, work_id) AS gkey FROM _screen_cand
    WHERE work_id IN (SELECT work_id FROM _screen_hits)
)
SELECT DISTINCT unnest(raw) AS raw FROM _screen_cand
WHERE coalesce(doi, work_id) IN (SELECT gkey FROM g)
  AND ((len(countries) = 0 AND len(list_filter(inst_countries, lambda c: c IS NOT NULL)) = 0)
       -- the cheap test first: list_intersect on every row doubled the query's time
       OR (NOT list_has_all(inst_countries, countries)
           AND NOT list_has_all(inst_countries, list_intersect(countries, $focus))))
"""

# Each distinct institution, resolved once by its identifiers (and its name as a fallback).
# In a fixed order: the resolver reads one variant of an institution recorded two ways (same
# id, ROR and name; another country or lineage, as OpenAlex's records drift), the first. The
# variant placed in China or nowhere comes first, as only its name is read, then the one with
# the longest lineage (the most ids); any other order let DuckDB's hash table choose.
DISTINCT_INSTITUTIONS = """
SELECT id, ror, display_name, country_code, lineage
FROM (
    SELECT DISTINCT i.id, i.ror, i.display_name, upper(i.country_code) AS country_code,
           list_sort(coalesce(i.lineage, [])) AS lineage
    FROM (SELECT unnest(institutions) AS i FROM _screen_cand)
)
ORDER BY id NULLS FIRST, ror NULLS FIRST, display_name NULLS FIRST,
         coalesce(country_code, '') IN ('', 'CN') DESC, len(lineage) DESC,
         lineage::VARCHAR, country_code NULLS FIRST
"""

# Matcher verdicts (registered from Python as _res_raw, _res_inst, _raw_country) joined back to
# the authorships: one row per (work, author, affiliation, entity) of the selected categories.
HITS = """
CREATE OR REPLACE TEMP TABLE _screen_hits AS
SELECT c.work_id, c.author_index, c.author_name, c.author_id,
       r.raw AS affiliation, r.entity_id, r.entity_name, r.category, r.rule, r.score,
       r.explanation
FROM (SELECT work_id, author_index, author_name, author_id, country_hint, unnest(raw) AS raw
      FROM _screen_cand) c
JOIN _res_raw r ON r.raw = c.raw AND r.country_hint IS NOT DISTINCT FROM c.country_hint
WHERE list_contains($categories, r.category)
UNION ALL
SELECT c.work_id, c.author_index, c.author_name, c.author_id,
       coalesce(c.i.display_name, c.i.id, c.i.ror) || ' [' || coalesce(c.i.id, c.i.ror, '') || ']'
           AS affiliation,
       r.entity_id, r.entity_name, r.category, r.rule, r.score, r.explanation
FROM (SELECT work_id, author_index, author_name, author_id, unnest(institutions) AS i
      FROM _screen_cand) c
JOIN _res_inst r
  ON r.id IS NOT DISTINCT FROM c.i.id AND r.ror IS NOT DISTINCT FROM c.i.ror
 AND r.display_name IS NOT DISTINCT FROM c.i.display_name
WHERE list_contains($categories, r.category)
"""

# Authors at an institution in a focus country. The country comes from the institution's
# country_code; for an author without an institution (or with a focus country OpenAlex parsed
# but did not tie to an institution) from authorships.countries; failing both (no institution
# with a country code, no countries), from the raw string (country_from_text, _raw_country).
PARTNERS = """
CREATE OR REPLACE TEMP TABLE _screen_partners AS
WITH by_inst AS (
    SELECT work_id, author_index, author_name, author_id, orcid,
           i.id AS institution_id, coalesce(i.display_name, i.id, i.ror) AS institution_name,
           upper(i.country_code) AS country_code, 'institution' AS basis
    FROM (SELECT *, unnest(institutions) AS i FROM _screen_cand)
    WHERE list_contains($focus, upper(i.country_code))
), raw_c AS (
    SELECT c.work_id, c.author_index, c.r AS raw, rc.country, rc.org
    FROM (SELECT work_id, author_index, unnest(raw) AS r FROM _screen_cand) c
    JOIN _raw_country rc ON rc.raw = c.r
), by_countries AS (
    SELECT c.work_id, c.author_index, c.author_name, c.author_id, c.orcid,
           NULL AS institution_id,
           coalesce(min(rc.org), array_to_string(min(c.raw), '; ')) AS institution_name,
           c.country AS country_code, 'authorships.countries' AS basis
    FROM (SELECT *, unnest(countries) AS country FROM _screen_cand) c
    LEFT JOIN raw_c rc
      ON rc.work_id = c.work_id AND rc.author_index = c.author_index AND rc.country = c.country
    WHERE list_contains($focus, c.country) AND NOT list_contains(c.inst_countries, c.country)
    GROUP BY ALL
), by_raw AS (
    SELECT c.work_id, c.author_index, c.author_name, c.author_id, c.orcid,
           NULL AS institution_id, rc.org AS institution_name, rc.country AS country_code,
           'raw_string' AS basis
    FROM _screen_cand c JOIN raw_c rc USING (work_id, author_index)
    WHERE len(list_filter(c.inst_countries, lambda x: x IS NOT NULL)) = 0
      AND len(c.countries) = 0 AND list_contains($focus, rc.country)
)
SELECT * FROM by_inst
UNION ALL SELECT * FROM by_countries
UNION ALL SELECT * FROM by_raw
"""

# Works sharing a DOI are one publication (e.g. the same paper from OpenAlex and Web of
# Science): a group is flagged when, together, its records have a watchlist hit and a partner.
# Each flagged group is reported under one work id (an OpenAlex W-id when there is one).
FLAGGED = f"""
CREATE OR REPLACE TEMP TABLE _screen_flagged AS
WITH w AS (
    SELECT DISTINCT work_id, coalesce(doi, work_id) AS gkey FROM _screen_cand
), groups AS (
    SELECT gkey FROM w
    WHERE work_id IN (SELECT work_id FROM _screen_hits)
    INTERSECT
    SELECT gkey FROM w
    WHERE work_id IN (SELECT work_id FROM _screen_partners)
)
SELECT w.work_id AS member_id, w.gkey,
       first(w.work_id ORDER BY {REPORTED_FIRST.format(id="w.work_id")})
           OVER (PARTITION BY w.gkey) AS work_id
FROM w JOIN groups USING (gkey)
"""  # noqa: S608 (only module constants are interpolated)

FLAGGED_WORKS = """
SELECT f.work_id, w.doi, w.title, w.publication_year, w.abstract_inverted_index, w.keywords,
       list_transform(w.topics, lambda t: [t.id, t.display_name]) AS topics
FROM (SELECT DISTINCT work_id FROM _screen_flagged) f JOIN works w USING (work_id)
ORDER BY f.work_id
"""

FLAGGED_HITS = """
SELECT DISTINCT f.work_id, h.author_index, h.author_name, h.author_id, h.affiliation,
       h.entity_id, h.entity_name, h.category, h.rule, h.score, h.explanation
FROM _screen_hits h JOIN _screen_flagged f ON f.member_id = h.work_id
ORDER BY f.work_id, h.author_index, h.entity_id, h.affiliation, h.rule, h.score, h.explanation,
         h.category, h.entity_name, h.author_id NULLS LAST, h.author_name NULLS LAST
"""

FLAGGED_PARTNERS = """
SELECT DISTINCT f.work_id, p.author_index, p.author_name, p.author_id, p.orcid,
       p.institution_id, p.institution_name, p.country_code, p.basis
FROM _screen_partners p JOIN _screen_flagged f ON f.member_id = p.work_id
ORDER BY f.work_id, p.author_index, p.country_code, p.institution_name, p.basis,
         p.institution_id NULLS LAST, p.author_id NULLS LAST, p.author_name NULLS LAST,
         p.orcid NULLS LAST
"""

MERGED_BY_DOI = "SELECT count(*) - count(DISTINCT work_id) FROM _screen_flagged"

DROP_TEMP = [
    "DROP TABLE IF EXISTS _screen_cand",
    "DROP TABLE IF EXISTS _screen_hits",
    "DROP TABLE IF EXISTS _screen_partners",
    "DROP TABLE IF EXISTS _screen_flagged",
    "DROP TABLE IF EXISTS _res_raw",
    "DROP TABLE IF EXISTS _res_inst",
    "DROP TABLE IF EXISTS _raw_country",
    "DROP TABLE IF EXISTS _raw_distinct",
    "DROP TABLE IF EXISTS _raw_may_match",
]
