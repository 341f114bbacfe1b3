"""Plain copies of gzip inputs, inflated ahead by a helper process with ISA-L.

DuckDB inflates a gzip file in one thread (miniz), and for OpenAlex JSON Lines that thread
bounds the whole read: a bare ``read_json`` of 100,000 gzipped works takes about 1.0 s, of the
same file already inflated about 0.7 s. ISA-L's igzip inflates about three times faster than
zlib (0.2 s for those 45 MB). So ingest can hand DuckDB a plain copy instead, made by a helper
process that runs on the other core while this one imports its modules and loads the watchlist
(and, for a folder of snapshot parts, while DuckDB reads the previous part).

It changes nothing but speed:

- DuckDB reads the plain copy with the same schema and checks; a file the fast path rejects goes
  down the line-numbered path (``ingest._load``), which reads the original file, so every
  message still names the user's file and line.
- If anything fails (ISA-L not installed, not enough room for the copy, a broken gzip stream,
  the helper killed), :meth:`Inflater.plain` answers ``None`` and DuckDB reads the gzip file
  itself, exactly as before.
- The copy is a temporary file removed as soon as the helper has it open (on Linux DuckDB reads
  it as ``/proc/self/fd/N``), so a run killed at any moment leaves no plain copy behind.
  Elsewhere it is a named file in a private temporary folder, removed on release.

``DUALSCOPE_INFLATE=0`` turns it off (DuckDB then inflates the files itself).

Run as ``python -m dualscope.store.inflate FILE``: the helper, writing FILE inflated to stdout.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path
from types import TracebackType
from typing import IO

log = logging.getLogger(__name__)

GZIP_MAGIC = b"\x1f\x8b"
ENV_SWITCH = "DUALSCOPE_INFLATE"
# JSON Lines of works inflate 8-10x; a copy is made only with room for twice this estimate
# (or the gzip trailer's own size, if larger) left on the temporary folder's disk.
EXPANSION_ESTIMATE = 12
COPY_BLOCK = 1 << 20


def enabled_by_default() -> bool:
    """Whether ISA-L is installed and ``DUALSCOPE_INFLATE`` does not turn the copies off."""
    setting = os.environ.get(ENV_SWITCH, "").strip().lower()
    if setting in ("0", "false", "no", "off"):
        return False
    return find_spec("isal") is not None


def is_gzip(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(2) == GZIP_MAGIC
    except OSError:
        return False


def expected_size(path: Path) -> int:
    """A generous guess of ``path``'s inflated size: the gzip trailer's ISIZE (exact for one
    member under 4 GiB) or :data:`EXPANSION_ESTIMATE` times the file, whichever is larger."""
    size = path.stat().st_size
    trailer = 0
    if size >= 4:
        with open(path, "rb") as handle:
            handle.seek(size - 4)
            trailer = int.from_bytes(handle.read(4), "little")
    return max(trailer, EXPANSION_ESTIMATE * size)


@dataclass
class _Copy:
    """One helper process and the temporary file it writes."""

    process: subprocess.Popen[bytes]
    handle: IO[bytes]
    folder: tempfile.TemporaryDirectory[str] | None = None
    name: str | None = None  # where the copy is, when it could not be unlinked
    outcome: str | None = field(default=None)  # the path to read, "" for none; None = waiting

    def result(self) -> str | None:
        if self.outcome is None:
            code = self.process.wait()
            self.handle.flush()
            if code != 0:
                log.debug("inflating helper exited with %s; DuckDB reads the gzip file", code)
                self.outcome = ""
            elif self.name is not None:
                self.outcome = self.name
            else:
                self.outcome = f"/proc/self/fd/{self.handle.fileno()}"
        return self.outcome or None

    def discard(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.handle.close()
        if self.folder is not None:
            self.folder.cleanup()


class Inflater:
    """Inflates gzip inputs ahead of their reading, in helper processes (one per file).

    ``prefetch(path)`` starts a copy (if it can help), ``plain(path)`` waits for it and answers
    the path DuckDB should read (``None``: the file itself), ``release(path)`` removes it.
    """

    def __init__(self, *, enabled: bool | None = None, folder: str | None = None) -> None:
        self.enabled = enabled_by_default() if enabled is None else enabled
        self.folder = folder
        self._copies: dict[Path, _Copy] = {}

    def prefetch(self, path: Path) -> None:
        key = Path(path).resolve()
        if not self.enabled or key in self._copies or not key.is_file() or not is_gzip(key):
            return
        try:
            copy = self._start(key)
        except OSError as exc:  # no room, no temporary folder, no interpreter: read the gzip
            log.debug("not inflating %s ahead: %s", key, exc)
            return
        if copy is not None:
            self._copies[key] = copy

    def plain(self, path: Path) -> str | None:
        """The inflated copy of ``path`` to read instead of it, or ``None`` (read ``path``)."""
        copy = self._copies.get(Path(path).resolve())
        return copy.result() if copy is not None else None

    def release(self, path: Path) -> None:
        copy = self._copies.pop(Path(path).resolve(), None)
        if copy is not None:
            copy.discard()

    def close(self) -> None:
        for key in list(self._copies):
            self.release(key)

    def __enter__(self) -> Inflater:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _start(self, path: Path) -> _Copy | None:
        where = self.folder or tempfile.gettempdir()
        if shutil.disk_usage(where).free < 2 * expected_size(path):
            log.debug("not inflating %s ahead: too little room in %s", path, where)
            return None
        folder = tempfile.TemporaryDirectory(prefix="dualscope-inflate-", dir=where)
        name = os.path.join(folder.name, "plain.jsonl")
        handle = open(name, "w+b")  # noqa: SIM115 (closed by _Copy.discard)
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "dualscope.store.inflate", str(path)],
                stdin=subprocess.DEVNULL,
                stdout=handle,
                stderr=subprocess.DEVNULL,
            )
        except BaseException:
            handle.close()
            folder.cleanup()
            raise
        if os.path.isdir("/proc/self/fd"):  # Linux: nothing left behind, whatever happens
            os.unlink(name)
            folder.cleanup()
            return _Copy(process, handle)
        return _Copy(process, handle, folder=folder, name=name)


def _inflate(source: str, out: IO[bytes]) -> None:
    from isal import igzip

    with igzip.open(source, "rb") as stream:
        shutil.copyfileobj(stream, out, COPY_BLOCK)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m dualscope.store.inflate FILE.gz > FILE", file=sys.stderr)
        return 2
    try:
        _inflate(argv[1], sys.stdout.buffer)
        sys.stdout.buffer.flush()
    except Exception as exc:  # any failure: the caller reads the gzip file itself
        print(f"{argv[1]}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
