"""The names of the export formats ``--format`` accepts, without loading their readers.

The CLI lists them in its help at start-up; :mod:`dualscope.sources.exports` (which imports
every reader) checks on import that it reads exactly these.
"""

from __future__ import annotations

# "lens" is recognised only to be refused (Lens exports carry no affiliations).
EXPORT_FORMATS: tuple[str, ...] = ("wos", "wos_tab", "scopus", "dimensions", "openalex_csv", "lens")
