"""One base exception for every mistake a user can make.

The CLI catches :class:`DualscopeError` and prints its one-line message (and hint) instead of a
traceback. Messages name the bad value, the file and line, and suggest the fix.
"""

from __future__ import annotations

from pathlib import Path


class DualscopeError(Exception):
    """A problem the user can fix; rendered as one line, never a traceback."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message} ({self.hint})"
        return self.message


class InputError(DualscopeError):
    """Bad input data: names the file and, where known, the line or record."""

    def __init__(
        self,
        path: str | Path | None,
        message: str,
        *,
        line: int | None = None,
        record: str | None = None,
        hint: str | None = None,
    ) -> None:
        where = str(path) if path is not None else "<input>"
        if line is not None:
            where += f", line {line}"
        if record is not None:
            where += f", record {record}"
        super().__init__(f"{where}: {message}", hint=hint)
        self.path = path
        self.line = line
        self.record = record


class DataFileError(DualscopeError):
    """A bundled or user vocabulary/watchlist file failed validation."""


class ConfigError(DualscopeError):
    """A missing or invalid setting (environment variable, option)."""
