"""Atomic writes: a run never leaves a half-written file or output folder behind."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from dualscope.errors import DualscopeError

# Written into every output folder dualscope creates, so a later run may replace that folder
# but never a folder of the user's own files (`--out ~/Documents` must not delete Documents).
OUTPUT_MARKER = ".dualscope-output"


def _default_mode(base: int) -> int:
    """The mode a plainly created file/folder would get (mkstemp/mkdtemp use 0600/0700)."""
    umask = os.umask(0)
    os.umask(umask)
    return base & ~umask


@contextlib.contextmanager
def atomic_file(path: Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO[Any]]:
    """Open a temp file beside ``path``; on success rename it over ``path``, else delete it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        if "b" in mode:
            handle: IO[Any] = open(tmp, mode)  # noqa: SIM115 - closed below
        else:
            handle = open(tmp, mode, encoding=encoding, newline="")  # noqa: SIM115
        with handle:
            yield handle
        os.chmod(tmp, _default_mode(0o666))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_dir(path: Path) -> Iterator[Path]:
    """Yield a temp folder beside ``path``; on success it replaces ``path`` whole.

    On failure the temp folder is removed and any previous ``path`` is left untouched. An
    existing ``path`` is replaced only when it is empty or was written by dualscope (it holds
    :data:`OUTPUT_MARKER`); anything else is the user's and is refused before work starts.
    """
    path = path.resolve()
    check_replaceable_dir(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    try:
        yield tmp
        (tmp / OUTPUT_MARKER).write_text(
            "This folder was written by dualscope; a rerun replaces it whole.\n", encoding="utf-8"
        )
        os.chmod(tmp, _default_mode(0o777))
        if path.exists():
            old = path.with_name(f".{path.name}.old")
            if old.exists():
                shutil.rmtree(old)
            os.replace(path, old)
            os.replace(tmp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def check_replaceable_dir(path: Path) -> None:
    """Raise unless ``path`` is absent, an empty folder, or a folder dualscope wrote."""
    if not path.exists():
        return
    if not path.is_dir():
        raise DualscopeError(f"{path} is a file", hint="give a folder name for the outputs")
    if (path / OUTPUT_MARKER).exists():
        return
    entries = sorted(p.name for p in path.iterdir())
    if entries:
        shown = ", ".join(entries[:3]) + (", …" if len(entries) > 3 else "")
        raise DualscopeError(
            f"{path} already holds files dualscope did not write ({shown})",
            hint="choose a new or empty folder; the output folder is replaced as a whole",
        )
