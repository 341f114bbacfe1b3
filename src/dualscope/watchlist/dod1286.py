"""Read US DoD Section 1286 lists from CSV (one row per institution per edition).

Two layouts are accepted, told apart by their header:

- the transcription layout: ``name, aliases, report-date, source_url, country, end-date, ...``
  (extra columns ignored and reported once);
- a minimal layout: ``name, aliases, edition`` (optionally ``source_url``, ``country``).

``aliases`` holds several names separated by ``;``. Bad rows are skipped, counted and warned about
with their line number; ``strict`` stops at the first.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from dualscope.errors import InputError
from dualscope.watchlist.model import ListMembership, Source

log = logging.getLogger(__name__)

LIST_NAME = "US DoD Section 1286 list"
# Official PDF of each edition, used when a minimal CSV gives no source_url.
EDITION_URLS: dict[str, str] = {
    "2022": "https://media.defense.gov/2023/Jun/29/2003251160/-1/-1/1/COUNTERING-UNWANTED-INFLUENCE-IN-DEPARTMENT-FUNDED-RESEARCH-AT-INSTITUTIONS-OF-HIGHER-EDUCATION.PDF",
    "2023": "https://rt.cto.mil/wp-content/uploads/2024/07/FY23-Lists-Published-in-Response-to-Section-1286-of-NDAA-2019_clearedv2.pdf",
    "2024": "https://basicresearch.defense.gov/Portals/61/Documents/Academic%20Research%20Security%20Page/FY24%20Section%201286%20List%20for%20public%20release_V2.pdf?ver=KqtK4tL1wLDoUwe2yxWHSw%3D%3D",
    "2025": "https://www.cto.mil/wp-content/uploads/2026/07/FY25-Section-1286-List.pdf",
}
# Publication dates we can support from the source itself (the 2022 PDF's URL and SOURCE note).
EDITION_DATES: dict[str, date] = {"2022": date(2023, 6, 29)}
EDITION_COLUMNS = ("report-date", "edition")
USED_COLUMNS = {
    "name",
    "aliases",
    "source_url",
    "country",
    "start-date",
    "end-date",
    *EDITION_COLUMNS,
}
_EDITION = re.compile(r"^(?:FY\s*)?(\d{4})$", re.IGNORECASE)


@dataclass(frozen=True)
class Row1286:
    """One list entry: the name as printed, its aliases, edition and where it is published."""

    line: int
    name: str
    aliases: tuple[str, ...]
    edition: str
    source_url: str | None
    country: str | None
    end: date | None
    end_text: str | None
    start: date | None = None
    start_text: str | None = None

    def membership(self, note: str | None = None) -> ListMembership:
        """This row as a list membership fact with its source."""
        url = self.source_url or EDITION_URLS.get(self.edition)
        notes = [
            n for n in (note, f"end date on list: {self.end_text}" if self.end_text else None) if n
        ]
        return ListMembership(
            list="dod_1286",
            edition=self.edition,
            name_on_list=self.name,
            aliases_on_list=list(self.aliases),
            start=self.start,
            end=self.end,
            source=Source(
                name=f"{LIST_NAME}, {self.edition} edition",
                url=url,
                date=EDITION_DATES.get(self.edition),
                note="; ".join(notes) or None,
            ),
        )


@dataclass
class File1286:
    rows: list[Row1286]
    skipped: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _date(text: str) -> tuple[date | None, str | None]:
    text = text.strip()
    if not text:
        return None, None
    try:
        return date.fromisoformat(text), None
    except ValueError:
        return None, text  # e.g. a bare year: kept as text, not turned into a made-up date


def read_1286_csv(path: Path, *, strict: bool = False) -> File1286:
    """Rows of a Section 1286 CSV; see the module docstring for the accepted layouts."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as raw_file:
            text = raw_file.read()
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(
            path, f"not UTF-8 text ({exc.reason} at byte {exc.start})", hint="save it as UTF-8 CSV"
        ) from exc
    result = File1286(rows=[])
    with io.StringIO(text, newline="") as handle:
        reader = csv.DictReader(handle)
        header = [h.strip() for h in reader.fieldnames or []]
        edition_col = next((c for c in EDITION_COLUMNS if c in header), None)
        if "name" not in header or edition_col is None:
            raise InputError(
                path,
                f"not a Section 1286 CSV: header {header}",
                line=1,
                hint="need columns name, aliases and report-date (or edition)",
            )
        extra = sorted(set(header) - USED_COLUMNS)
        if extra:
            log.info("%s: columns not used: %s", path, ", ".join(extra))
        for line, raw in enumerate(reader, start=2):
            extra_cells = raw.pop(None, None)  # csv.DictReader keeps cells beyond the header here
            row = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
            name = " ".join(row.get("name", "").split())
            match = _EDITION.match(row.get(edition_col, ""))
            reason = "missing name" if not name else ("bad edition" if not match else None)
            if extra_cells:
                reason = "more cells than the header"
            if reason:
                message = f"{path}, line {line}: {reason} ({row.get(edition_col, '')!r})"
                if strict:
                    raise InputError(path, reason, line=line)
                result.skipped[reason] = result.skipped.get(reason, 0) + 1
                result.warnings.append(message)
                continue
            assert match is not None
            start, start_text = _date(row.get("start-date", ""))
            end, end_text = _date(row.get("end-date", ""))
            aliases = tuple(a.strip() for a in row.get("aliases", "").split(";") if a.strip())
            result.rows.append(
                Row1286(
                    line=line,
                    name=name,
                    aliases=aliases,
                    edition=match.group(1),
                    source_url=row.get("source_url") or None,
                    country=row.get("country") or None,
                    end=end,
                    end_text=end_text,
                    start=start,
                    start_text=start_text,
                )
            )
    for warning in result.warnings[:5]:
        log.warning(warning)
    return result
