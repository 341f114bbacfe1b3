"""The output folder of `screen`: CSV tables, summary.json and report.html, written atomically.

Every table is a named query over the ``screen_*`` tables, so the files, the HTML report and the
web app count the same way. Every CSV cell goes through :mod:`dualscope.csvout` (formula
neutralisation). The folder is built in a temporary sibling and renamed into place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from dualscope.csvout import write_csv
from dualscope.errors import DualscopeError
from dualscope.fsutil import atomic_dir, atomic_file

WORKS_CSV = """
SELECT work_id, doi, title, year, entities, categories, partner_countries,
       partner_institutions, areas, evidence
FROM screen_works
ORDER BY year DESC NULLS LAST, work_id
"""

# A work counts once per country; researchers are distinct focus-country authors (author id,
# else normalised name); institutions distinct partner institutions (id, else name).
COUNTRIES_CSV = """
SELECT country_code AS country,
       count(DISTINCT work_id) AS works,
       count(DISTINCT coalesce(author_id, lower(trim(author_name)))) AS researchers,
       count(DISTINCT coalesce(institution_id, institution_name)) AS institutions
FROM screen_partners
GROUP BY country_code
ORDER BY works DESC, country
"""

INSTITUTIONS_CSV = """
SELECT p.institution_name AS institution, min(p.institution_id) AS institution_id,
       p.country_code AS country, m.entity_name AS entity, min(m.category) AS category,
       count(DISTINCT p.work_id) AS works, min(w.year) AS first_year, max(w.year) AS last_year
FROM screen_partners p
JOIN screen_matches m USING (work_id)
JOIN screen_works w USING (work_id)
GROUP BY p.institution_name, p.country_code, m.entity_name
ORDER BY works DESC, institution, entity, country
"""

ENTITIES_CSV = """
SELECT m.entity_name AS entity, m.entity_id, min(m.category) AS category,
       count(DISTINCT m.work_id) AS works,
       list_sort(list_distinct(flatten(list(w.partner_countries)))) AS countries,
       min(w.year) AS first_year, max(w.year) AS last_year,
       list_sort(list_distinct(list(m.rule))) AS rules
FROM screen_matches m JOIN screen_works w USING (work_id)
GROUP BY m.entity_id, m.entity_name
ORDER BY works DESC, entity, m.entity_id
"""

YEARS_CSV = """
SELECT year, count(*) AS works FROM screen_works GROUP BY year ORDER BY year NULLS LAST
"""

RESEARCHERS_CSV = """
SELECT min(author_name) AS name, author_id, min(orcid) AS orcid,
       string_agg(DISTINCT institution_name, '; ' ORDER BY institution_name) AS institution,
       string_agg(DISTINCT country_code, '; ' ORDER BY country_code) AS country,
       count(DISTINCT work_id) AS works
FROM screen_partners
GROUP BY author_id, CASE WHEN author_id IS NULL THEN lower(trim(author_name)) END
ORDER BY works DESC, name, author_id NULLS LAST, orcid NULLS LAST, institution, country
"""

AREAS_CSV = """
SELECT a.area_id AS area, count(DISTINCT a.work_id) AS works,
       list_sort(list_distinct(flatten(list(w.entities)))) AS entities,
       list_sort(list_distinct(flatten(list(w.partner_countries)))) AS countries
FROM screen_areas a JOIN screen_works w USING (work_id)
GROUP BY a.area_id
ORDER BY works DESC, area
"""

TABLES: tuple[tuple[str, str], ...] = (
    ("works.csv", WORKS_CSV),
    ("countries.csv", COUNTRIES_CSV),
    ("institutions.csv", INSTITUTIONS_CSV),
    ("entities.csv", ENTITIES_CSV),
    ("years.csv", YEARS_CSV),
    ("researchers.csv", RESEARCHERS_CSV),
    ("areas.csv", AREAS_CSV),
)


@dataclass
class OutputFiles:
    folder: Path
    rows: dict[str, int]


def query_rows(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    cur = con.execute(sql)
    return [d[0] for d in cur.description or ()], cur.fetchall()


def write_outputs(
    con: duckdb.DuckDBPyConnection,
    out: Path,
    summary: dict[str, Any],
    *,
    pseudonymise: bool = False,
) -> OutputFiles:
    """Write every table, summary.json and report.html into ``out`` (replaced atomically)."""
    from dualscope.report.html import write_report

    rows: dict[str, int] = {}
    results: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = {}
    if Path(out).exists() and not Path(out).is_dir():
        raise DualscopeError(f"{out}: exists and is not a folder", hint="choose another --out")
    try:
        with atomic_dir(Path(out)) as tmp:
            for name, sql in TABLES:
                header, data = query_rows(con, sql)
                results[sql] = (header, data)
                rows[name] = write_csv(tmp / name, header, data)
            with atomic_file(tmp / "summary.json") as handle:
                json.dump(summary, handle, ensure_ascii=False, indent=2, sort_keys=False)
                handle.write("\n")
            # the report shows the same tables: it reuses the rows read for the CSV files
            write_report(con, tmp / "report.html", pseudonymise=pseudonymise, prefetched=results)
    except OSError as exc:
        raise DualscopeError(
            f"{out}: cannot write the output folder ({exc.strerror or exc})",
            hint="check the path and its permissions; the previous folder is untouched",
        ) from exc
    return OutputFiles(Path(out), rows)
