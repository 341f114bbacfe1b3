"""Lens exports are recognised and refused with the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from dualscope.errors import DualscopeError
from dualscope.sources.exports import detect_format, read_export

DATA = Path(__file__).parent / "data"


def test_lens_is_refused_with_reason() -> None:
    assert detect_format(DATA / "lens.csv") == "lens"
    with pytest.raises(DualscopeError, match="no author affiliations") as caught:
        list(read_export(DATA / "lens.csv"))
    assert "OpenAlex" in str(caught.value) and "DOI" in str(caught.value)


@pytest.mark.shared
def test_real_lens_sample_is_refused(shared_raw: Path) -> None:
    path = shared_raw / "bibliometrix-fixtures/lens_sample.csv"
    assert detect_format(path) == "lens"
    with pytest.raises(DualscopeError, match=r"Lens\.org"):
        next(iter(read_export(path)))
