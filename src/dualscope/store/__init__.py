"""The DuckDB store: works as ingested, and the results of the latest screening run."""
