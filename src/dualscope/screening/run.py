"""`dualscope screen` as a library call: ingest (optional), screen, store, write the folder."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dualscope.errors import DualscopeError
from dualscope.screening.options import ScreenOptions
from dualscope.screening.outputs import OutputFiles, write_outputs
from dualscope.screening.pipeline import (
    ClassifierLike,
    ScreenResult,
    run_screening,
    store_result,
)
from dualscope.screening.resolve import MatcherLike
from dualscope.screening.screenable import DeferredFilter
from dualscope.screening.summary import build_summary
from dualscope.settings import Settings
from dualscope.store.db import open_store
from dualscope.store.ingest import IngestReport, ingest_paths, input_format


@dataclass
class ScreenRun:
    result: ScreenResult
    summary: dict[str, Any]
    outputs: OutputFiles
    ingest: IngestReport | None


def default_components(
    settings: Settings | None = None,
) -> tuple[MatcherLike, ClassifierLike, str | None]:
    """The bundled matcher, classifier and the watchlist version they use."""
    from dualscope.classify.classifier import Classifier
    from dualscope.matching.matcher import Matcher
    from dualscope.watchlist.loader import load_watchlist

    watchlist = load_watchlist(settings)
    return Matcher.default(settings), Classifier.default(), watchlist.version


def screen(
    db: Path,
    out: Path,
    options: ScreenOptions,
    *,
    files: Sequence[Path] = (),
    strict: bool = False,
    warn: Callable[[str], None] | None = None,
    progress: Callable[[Path], None] | None = None,
    settings: Settings | None = None,
    components: tuple[MatcherLike, ClassifierLike, str | None] | None = None,
    pseudonymise: bool = False,
    fmt: str | None = None,
    keep_all: bool = False,
) -> ScreenRun:
    """Ingest ``files`` (if any), screen the store at ``db`` and write the folder ``out``.

    ``fmt`` overrides the input format detection of ``files`` (see ``store.ingest.input_format``).
    ``keep_all`` stores every ingested work in full, not only those the watchlist could flag
    (:mod:`dualscope.screening.screenable`).
    """
    from dualscope.geo.countries import country_from_text

    fmt = input_format(fmt)  # a bad value fails before the store is opened

    # The matcher, classifier and watchlist load in a thread while DuckDB reads the files (it
    # releases the GIL): the ingest filter waits for them only when it needs the matcher.
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dualscope-load")
    loading = pool.submit(lambda: components or default_components(settings))
    deferred = DeferredFilter(lambda: loading.result()[0], options.categories)
    con = open_store(db)
    try:
        report = (
            ingest_paths(
                con,
                files,
                strict=strict,
                warn=warn,
                progress=progress,
                fmt=fmt,
                keep=None if keep_all else deferred,
            )
            if files
            else None
        )
        matcher, classifier, version = loading.result()
        pool.shutdown()  # no thread left when the matching workers fork
        keep = deferred.resolve()
        if con.execute("SELECT count(*) FROM works").fetchone() == (0,):
            raise DualscopeError(
                f"{db}: the store holds no works",
                hint="give input files: `dualscope screen works.jsonl.gz --out DIR`",
            )
        result = run_screening(con, options, matcher, classifier, country_from_text)
        summary = build_summary(
            con,
            result,
            watchlist_version=version,
            ingest=report,
            keep=keep,
        )
        if warn is not None:
            for path in summary["data_sources"]["filtered_with_another_watchlist"]:
                warn(
                    f"{path}: ingested with another watchlist; works only the current one "
                    "could flag were stored without affiliations (ingest the file again to "
                    "read it with this watchlist)"
                )
        store_result(con, result, summary)
        outputs = write_outputs(con, out, summary, pseudonymise=pseudonymise)
    finally:
        con.close()
        pool.shutdown(wait=False)
    return ScreenRun(result, summary, outputs, report)
