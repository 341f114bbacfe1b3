"""Plain copies of gzip inputs, inflated ahead by a helper process with ISA-L, in pieces.

DuckDB inflates a gzip file in one thread (miniz), and for OpenAlex JSON Lines that thread
bounds the whole read: reading what a screening keeps of 100,000 gzipped works takes about
1.0 s, of the same works already inflated about 0.75 s. ISA-L's igzip inflates about three
times faster than zlib (0.2 s for those 45 MB). So the streamed ingest
(:mod:`dualscope.store.stream`) can read a plain copy instead, made by a helper process that
runs on the other core while this one imports its modules and loads the watchlist, and, in a
folder of snapshot parts, while DuckDB reads the previous part.

The copy comes in pieces of about :data:`PIECE_BYTES`, each cut at a line end. DuckDB reads a
piece as soon as it is complete and the reader deletes it once read; the helper stays at most
:data:`AHEAD` pieces ahead. So a copy never takes more than a few hundred MB of disk or page
cache, whatever the size of the file (a whole 4 GB copy of 1,000,000 works cost more in
kernel time than the faster read saved), and DuckDB starts on the first piece long before the
last is inflated.

It changes nothing but speed:

- DuckDB reads the pieces with the same schema and checks, in file order; a file the fast path
  rejects goes down the line-numbered path (``ingest._load``), which reads the original file,
  so every message still names the user's file and line.
- If anything fails (ISA-L not installed, too little room, a broken gzip stream, the helper
  killed), the copy says so (:class:`CopyFailed`) and the stream reads the gzip file itself
  from the start, exactly as before.
- The pieces live in a private temporary folder that :meth:`Inflater.release` removes; a helper
  whose parent dies removes it too.

``DUALSCOPE_INFLATE=0`` turns it off (DuckDB then inflates the files itself).

Run as ``python -m dualscope.store.inflate FILE FOLDER [PIECE_BYTES [READER_PID]]``: the helper
(it stops and removes FOLDER once READER_PID, by default its parent, is gone).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from importlib.util import find_spec
from pathlib import Path
from types import TracebackType

log = logging.getLogger(__name__)

GZIP_MAGIC = b"\x1f\x8b"
ENV_SWITCH = "DUALSCOPE_INFLATE"
PIECE_BYTES = 128 << 20
AHEAD = 2  # pieces the helper may have ready beyond the one being read
READ_BLOCK = 4 << 20
DONE = "done"  # holds the number of pieces, once all are written
POLL_SECONDS = 0.005


class CopyFailed(Exception):
    """The plain copy cannot be completed: read the gzip file itself."""


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


def piece_name(index: int) -> str:
    return f"{index:06d}.jsonl"


class PlainCopy:
    """The pieces of one file's plain copy, as the helper completes them."""

    def __init__(self, process: subprocess.Popen[bytes], folder: Path) -> None:
        self.process = process
        self.folder = folder

    def pieces(self) -> Iterator[Path]:
        """Each piece in order, once complete; deleted when the caller asks for the next.

        Raises :class:`CopyFailed` if the helper stops before it has written them all."""
        index = 0
        while True:
            path = self.folder / piece_name(index)
            if not self._wait_for(path):
                return
            yield path
            path.unlink(missing_ok=True)  # the helper may now write one more
            index += 1

    def _wait_for(self, path: Path) -> bool:
        """Whether ``path`` is there (``False``: the copy is complete without it)."""
        while not path.exists():
            done = self.folder / DONE
            if done.exists():
                return path.exists()  # written just before the marker
            if self.process.poll() is not None and not done.exists() and not path.exists():
                raise CopyFailed(f"inflating helper exited with {self.process.returncode}")
            time.sleep(POLL_SECONDS)
        return True

    def discard(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


class Inflater:
    """Inflates gzip inputs ahead of their reading, one helper process per file.

    ``prefetch(path)`` starts a copy (if it can help), ``plain(path)`` answers it (``None``:
    read the file itself), ``release(path)`` stops the helper and removes what is left.
    """

    def __init__(
        self,
        *,
        enabled: bool | None = None,
        folder: str | None = None,
        piece_bytes: int = PIECE_BYTES,
    ) -> None:
        self.enabled = enabled_by_default() if enabled is None else enabled
        self.folder = folder
        self.piece_bytes = piece_bytes
        self._copies: dict[Path, PlainCopy] = {}

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

    def plain(self, path: Path) -> PlainCopy | None:
        """The copy of ``path`` being made, to read instead of it, or ``None``."""
        return self._copies.get(Path(path).resolve())

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

    def _start(self, path: Path) -> PlainCopy | None:
        where = self.folder or tempfile.gettempdir()
        if shutil.disk_usage(where).free < 2 * (AHEAD + 1) * self.piece_bytes:
            log.debug("not inflating %s ahead: too little room in %s", path, where)
            return None
        folder = Path(tempfile.mkdtemp(prefix="dualscope-inflate-", dir=where))
        try:
            process = subprocess.Popen(
                [
                    *(sys.executable, "-m", "dualscope.store.inflate"),
                    *(str(path), str(folder), str(self.piece_bytes), str(os.getpid())),
                ],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return PlainCopy(process, folder)


# --- the helper ----------------------------------------------------------------------------


class _Pieces:
    """Writes the inflated bytes as pieces cut at line ends, at most AHEAD pieces ahead."""

    def __init__(self, folder: Path, piece_bytes: int, parent: int) -> None:
        self.folder = folder
        self.piece_bytes = piece_bytes
        self.parent = parent
        self.index = 0
        self.size = 0
        self.out = open(self._part(), "wb")  # noqa: SIM115 (closed in _seal)

    def write(self, block: bytes) -> None:
        """Append ``block``; a piece ends at the first line end once it holds piece_bytes."""
        while self.size + len(block) >= self.piece_bytes:
            full = max(self.piece_bytes - self.size - 1, 0)
            cut = block.find(b"\n", full) + 1
            if not cut:  # the line goes on into the next block
                break
            self.out.write(block[:cut])
            self._seal()
            self._wait_for_room()
            self.out = open(self._part(), "wb")  # noqa: SIM115 (closed in _seal)
            self.size = 0
            block = block[cut:]
        self.out.write(block)
        self.size += len(block)

    def finish(self) -> None:
        if self.size or self.index == 0:
            self._seal()
        else:  # the last piece would be empty
            self.out.close()
            os.unlink(self._part())
        (self.folder / DONE).write_text(str(self.index))

    def _part(self) -> Path:
        return self.folder / (piece_name(self.index) + ".part")

    def _seal(self) -> None:
        self.out.close()
        os.replace(self._part(), self.folder / piece_name(self.index))
        self.index += 1

    def _wait_for_room(self) -> None:
        """Until the reader has taken all but AHEAD of the pieces written (or has gone)."""
        oldest = self.index - AHEAD - 1  # the reader must have deleted this one
        while oldest >= 0 and (self.folder / piece_name(oldest)).exists():
            if os.getppid() != self.parent or not self.folder.exists():
                raise CopyFailed("the reader is gone")
            time.sleep(POLL_SECONDS)


def inflate_to(
    source: str, folder: Path, piece_bytes: int = PIECE_BYTES, parent: int | None = None
) -> None:
    """Inflate ``source`` into pieces in ``folder`` for the reader ``parent`` (this process's
    parent when it started, by default)."""
    from isal import igzip

    pieces = _Pieces(folder, piece_bytes, os.getppid() if parent is None else parent)
    with igzip.open(source, "rb") as stream:
        for block in iter(lambda: stream.read(READ_BLOCK), b""):
            pieces.write(block)
    pieces.finish()


USAGE = "usage: python -m dualscope.store.inflate FILE.gz FOLDER [PIECE_BYTES [READER_PID]]"


def main(argv: list[str]) -> int:
    numbers = argv[3:]
    if not 3 <= len(argv) <= 5 or not all(n.isdigit() for n in numbers):
        print(USAGE, file=sys.stderr)
        return 2
    folder = Path(argv[2])
    piece_bytes = int(numbers[0]) if numbers else PIECE_BYTES
    parent = int(numbers[1]) if len(numbers) > 1 else None
    try:
        inflate_to(argv[1], folder, piece_bytes, parent)
    except Exception as exc:  # any failure: the reader reads the gzip file itself
        print(f"{argv[1]}: {exc}", file=sys.stderr)
        if isinstance(exc, CopyFailed):  # nobody is left to remove the pieces
            shutil.rmtree(folder, ignore_errors=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
