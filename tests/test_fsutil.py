"""Atomic outputs: all or nothing, and never a user's own folder replaced."""

from __future__ import annotations

from pathlib import Path

import pytest

from dualscope.errors import DualscopeError
from dualscope.fsutil import OUTPUT_MARKER, atomic_dir, atomic_file


def test_atomic_file_leaves_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_file(target) as handle:
        handle.write("half")
        raise RuntimeError("boom")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_atomic_dir_replaces_its_own_output_whole(tmp_path: Path) -> None:
    out = tmp_path / "report"
    with atomic_dir(out) as tmp:
        (tmp / "a.csv").write_text("1", encoding="utf-8")
    with atomic_dir(out) as tmp:
        (tmp / "b.csv").write_text("2", encoding="utf-8")
    assert sorted(p.name for p in out.iterdir()) == [OUTPUT_MARKER, "b.csv"]


def test_atomic_dir_keeps_the_previous_output_when_the_run_fails(tmp_path: Path) -> None:
    out = tmp_path / "report"
    with atomic_dir(out) as tmp:
        (tmp / "a.csv").write_text("1", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_dir(out) as tmp:
        (tmp / "b.csv").write_text("2", encoding="utf-8")
        raise RuntimeError("killed")
    assert sorted(p.name for p in out.iterdir()) == [OUTPUT_MARKER, "a.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]


def test_atomic_dir_refuses_a_folder_of_the_users_own_files(tmp_path: Path) -> None:
    documents = tmp_path / "Documents"
    documents.mkdir()
    (documents / "thesis.docx").write_text("precious", encoding="utf-8")
    with pytest.raises(DualscopeError, match="did not write"), atomic_dir(documents):
        pass
    assert (documents / "thesis.docx").read_text(encoding="utf-8") == "precious"


def test_atomic_dir_accepts_an_empty_existing_folder(tmp_path: Path) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    with atomic_dir(out) as tmp:
        (tmp / "x.txt").write_text("x", encoding="utf-8")
    assert (out / "x.txt").exists()
