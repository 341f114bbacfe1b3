"""Counting what was read and what was skipped, and why: nothing is dropped silently.

Readers call :meth:`ReadLog.skip` for every bad record. By default the record is counted under
its reason and the first few are reported (file and line); with ``strict`` the first one stops
the run with an :class:`InputError` carrying the same message.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dualscope.errors import InputError

MAX_WARNINGS = 5


@dataclass
class ReadLog:
    """What the readers saw: inputs per format, records read, records skipped by reason."""

    strict: bool = False
    warn: Callable[[str], None] | None = None
    inputs: Counter[str] = field(default_factory=Counter)
    records: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    unrecognised: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def read(self, fmt: str, count: int = 1) -> None:
        self.records[fmt] += count

    def skip(
        self,
        path: Path | str,
        reason: str,
        *,
        line: int | None = None,
        record: str | None = None,
        detail: str = "",
    ) -> None:
        """Count a bad record (or raise in strict mode), warning about the first few."""
        message = f"{reason}: {detail}" if detail else reason
        if self.strict:
            raise InputError(
                path, message, line=line, record=record,
                hint="fix the record, or run without --strict to skip and count bad records",
            )  # fmt: skip
        self.skipped[reason] += 1
        if len(self.warnings) < MAX_WARNINGS:
            text = str(InputError(path, message, line=line, record=record))
            self.warnings.append(text)
            if self.warn is not None:
                self.warn(f"skipped {text}")

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    def summary(self) -> dict[str, object]:
        return {
            "inputs": dict(sorted(self.inputs.items())),
            "inputs_unrecognised": self.unrecognised,
            "records_read": dict(sorted(self.records.items())),
            "records_skipped": {
                "total": self.skipped_total,
                "by_reason": dict(sorted(self.skipped.items())),
                "first": self.warnings,  # file and line of the first few, as warned
            },
        }
