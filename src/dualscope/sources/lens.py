"""Lens.org scholarly CSV exports: recognised, and refused with a clear reason.

A Lens scholarly export (``Lens ID``, ``Title``, ``Author/s``, ``DOI``, ``Source Country``...)
carries author names but no affiliations: ``Source Country`` is the journal's country, not an
author's. Screening needs affiliations, so reading such a file would report zero hits for every
work. :func:`read_lens` stops with an error that says so and what to do instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

from dualscope.errors import DualscopeError


def is_lens_header(cells: list[str]) -> bool:
    return "Lens ID" in cells


def refuse_lens(path: Path) -> NoReturn:
    """Raise the error that explains why a Lens export cannot be screened."""
    raise DualscopeError(
        f"{path}: this is a Lens.org scholarly export, which carries no author affiliations "
        "(its 'Source Country' is the journal's country), so screening it would find nothing",
        hint=(
            "collect the DOIs from its 'DOI' column and fetch those works from OpenAlex, "
            "or export the same search from Web of Science, Scopus or Dimensions with "
            "affiliations"
        ),
    )
