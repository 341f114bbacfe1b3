"""doi_url skips percent-encoding when it cannot change anything; the links are the same."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from dualscope.report.data import DOI_RE, doi_url

DOIS = [
    "10.1234/abc",
    "10.1234/ABC.def-1_2;3(4)/5:6",
    "https://doi.org/10.5555/x.y",
    "doi:10.5555/x",
    " 10.1234/spaces ",
    "10.1234/a\nb",
    "10.1234/ſ",  # long s: [a-z] with IGNORECASE
    "10.1234/K",  # Kelvin sign
    "10.١٢٣٤/x",  # Arabic-Indic digits match \\d
    "10.1234/with space",
    "10.12/short",
    "",
    None,
]


@pytest.mark.parametrize("doi", DOIS)
def test_doi_url_is_the_percent_encoded_link(doi: str | None) -> None:
    expected = None
    if doi:
        text = doi.strip()
        for prefix in ("https://doi.org/", "http://doi.org/", "doi:"):
            if text.lower().startswith(prefix):
                text = text[len(prefix) :]
        if DOI_RE.match(text):
            expected = "https://doi.org/" + quote(text, safe="/:;()._-")
    assert doi_url(doi) == expected
