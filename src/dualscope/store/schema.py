"""Table definitions of the DuckDB store: the contract between ingest, screening and reports.

`works` holds OpenAlex-shaped records from every source (OpenAlex JSON, API pages, and the
Web of Science / Scopus / Dimensions readers, which emit the same shape). The `screen_*` tables
hold the result of the latest `dualscope screen` run and are replaced in one transaction.
"""

from __future__ import annotations

# Struct type of one authorship, the subset of OpenAlex's schema that dualscope reads.
AUTHORSHIP_TYPE = """STRUCT(
    author_position VARCHAR,
    author STRUCT(id VARCHAR, display_name VARCHAR, orcid VARCHAR),
    institutions STRUCT(
        id VARCHAR, ror VARCHAR, display_name VARCHAR, country_code VARCHAR,
        "type" VARCHAR, lineage VARCHAR[]
    )[],
    countries VARCHAR[],
    raw_affiliation_strings VARCHAR[]
)"""

CREATE_WORKS = f"""
CREATE TABLE IF NOT EXISTS works (
    work_id VARCHAR PRIMARY KEY,      -- OpenAlex W-id, or 'wos:UT', 'scopus:EID', 'dimensions:ID'
    doi VARCHAR,                      -- lower-case, without https://doi.org/
    title VARCHAR,
    publication_year INTEGER,
    updated_date VARCHAR,             -- ISO date/time string; newest wins on re-ingest
    abstract_inverted_index JSON,     -- OpenAlex form; other sources store {{"text": ...}}
    keywords VARCHAR[],
    topics STRUCT(id VARCHAR, display_name VARCHAR, score DOUBLE)[],
    authorships {AUTHORSHIP_TYPE}[],
    source VARCHAR,  -- openalex | openalex_api | wos | scopus | dimensions | openalex_csv
    source_file VARCHAR,
    -- false: no affiliation the watchlist could match (screening.screenable); stored slim,
    -- without abstract, keywords, topics and authorships. NULL (older stores) means true.
    screenable BOOLEAN
)
"""

CREATE_INGESTED_FILES = """
CREATE TABLE IF NOT EXISTS ingested_files (
    path VARCHAR PRIMARY KEY,
    sha256 VARCHAR,
    records_read BIGINT,
    records_loaded BIGINT,
    records_skipped BIGINT,
    ingested_at TIMESTAMP,
    records_replaced BIGINT,          -- older copies of a work replaced by this file
    records_stale BIGINT,             -- records ignored: the store already had a newer copy
    skipped_reasons JSON,             -- {"reason": count, ...}
    kind VARCHAR,                     -- jsonl | api_page | json_array | <export format>
    skipped_first JSON,               -- [[line, "reason (detail)"], ...] first few skipped records
    kept VARCHAR                      -- 'all', or the digest of the screenable filter used
)
"""

# Resumable API harvests: one row per query (the canonical filter string); the next cursor is
# written in the same transaction as the page's works, so a killed fetch resumes exactly.
CREATE_FETCH_STATE = """
CREATE TABLE IF NOT EXISTS fetch_state (
    query VARCHAR PRIMARY KEY,        -- canonical filter string sent to /works
    next_cursor VARCHAR,              -- NULL once the query is complete
    done BOOLEAN,
    pages BIGINT,
    works BIGINT,
    total BIGINT,                     -- meta.count reported by the API
    updated_at TIMESTAMP
)
"""

# --- results of the latest screening run -------------------------------------------------

CREATE_SCREEN_META = """
CREATE TABLE IF NOT EXISTS screen_meta (
    key VARCHAR PRIMARY KEY,          -- 'summary' (the summary.json object), 'options'
    value JSON
)
"""

CREATE_SCREEN_WORKS = """
CREATE TABLE IF NOT EXISTS screen_works (
    work_id VARCHAR PRIMARY KEY,
    doi VARCHAR,
    title VARCHAR,
    year INTEGER,
    entity_ids VARCHAR[],
    entities VARCHAR[],               -- watchlist entity names
    categories VARCHAR[],
    partner_countries VARCHAR[],      -- ISO 3166-1 alpha-2, focus countries only
    partner_institutions VARCHAR[],
    areas VARCHAR[],                  -- technology area ids (sub-areas and their parents)
    evidence VARCHAR                  -- human-readable, as in works.csv
)
"""

# One row per (work, author, affiliation) that matched a watchlist entity.
CREATE_SCREEN_MATCHES = """
CREATE TABLE IF NOT EXISTS screen_matches (
    work_id VARCHAR,
    author_index INTEGER,
    author_name VARCHAR,
    author_id VARCHAR,
    affiliation VARCHAR,              -- raw string or institution id/name that matched
    entity_id VARCHAR,
    entity_name VARCHAR,
    category VARCHAR,
    rule VARCHAR,
    score DOUBLE,
    explanation VARCHAR
)
"""

# One row per (work, author, institution) in a focus country.
CREATE_SCREEN_PARTNERS = """
CREATE TABLE IF NOT EXISTS screen_partners (
    work_id VARCHAR,
    author_index INTEGER,
    author_name VARCHAR,
    author_id VARCHAR,
    institution_id VARCHAR,
    institution_name VARCHAR,
    country_code VARCHAR,
    basis VARCHAR,                    -- institution | authorships.countries | raw_string
    orcid VARCHAR                     -- the author's ORCID when the source gives one
)
"""

CREATE_SCREEN_AREAS = """
CREATE TABLE IF NOT EXISTS screen_areas (
    work_id VARCHAR,
    area_id VARCHAR,
    score DOUBLE,
    evidence VARCHAR
)
"""

ALL_TABLES = (
    CREATE_WORKS,
    CREATE_INGESTED_FILES,
    CREATE_FETCH_STATE,
    CREATE_SCREEN_META,
    CREATE_SCREEN_WORKS,
    CREATE_SCREEN_MATCHES,
    CREATE_SCREEN_PARTNERS,
    CREATE_SCREEN_AREAS,
)
