"""`dualscope screen` as a library call: ingest (optional), screen, store, write the folder."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dualscope.errors import DualscopeError
from dualscope.settings import Settings
from dualscope.store.db import open_store
from dualscope.store.ingest import IngestReport, KeepFilter, LazyKeep, ingest_paths, input_format

# The screening modules (matching, classification, report) load in a thread while DuckDB
# reads the files, so they are imported inside the functions below.
if TYPE_CHECKING:
    from dualscope.screening.options import ScreenOptions
    from dualscope.screening.outputs import OutputFiles
    from dualscope.screening.pipeline import ClassifierLike, ScreenResult
    from dualscope.screening.resolve import MatcherLike

Components = tuple["MatcherLike", "ClassifierLike", str | None]


@dataclass
class ScreenRun:
    result: ScreenResult
    summary: dict[str, Any]
    outputs: OutputFiles
    ingest: IngestReport | None


def default_matcher(settings: Settings | None = None) -> MatcherLike:
    """The bundled matcher (what the ingest filter needs first)."""
    from dualscope.matching.matcher import Matcher

    return Matcher.default(settings)


def default_classifier(settings: Settings | None = None) -> tuple[ClassifierLike, str | None]:
    """The bundled classifier and the version of the watchlist the matcher uses."""
    from dualscope.classify.classifier import Classifier
    from dualscope.watchlist.loader import load_watchlist

    return Classifier.default(), load_watchlist(settings).version


def default_components(settings: Settings | None = None) -> Components:
    """The bundled matcher, classifier and the watchlist version they use."""
    return (default_matcher(settings), *default_classifier(settings))


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
    components: Components | None = None,
    pseudonymise: bool = False,
    fmt: str | None = None,
    keep_all: bool = False,
) -> ScreenRun:
    """Ingest ``files`` (if any), screen the store at ``db`` and write the folder ``out``.

    ``fmt`` overrides the input format detection of ``files`` (see ``store.ingest.input_format``).
    ``keep_all`` stores every ingested work in full, not only those the watchlist could flag
    (:mod:`dualscope.screening.screenable`).
    """
    fmt = input_format(fmt)  # a bad value fails before the store is opened

    # The matcher, classifier, watchlist and the screening modules load in a thread while
    # DuckDB reads the files (it releases the GIL). The matcher comes first: the ingest filter
    # waits for it (only it), and the rest loads while the filter works.
    def load_matcher() -> MatcherLike:
        return components[0] if components is not None else default_matcher(settings)

    def load_rest() -> tuple[ClassifierLike, str | None]:
        from dualscope.screening import outputs, pipeline, summary  # noqa: F401

        if components is not None:
            return components[1], components[2]
        return default_classifier(settings)

    con = open_store(db)  # first: it runs Python the loading thread would slow down
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dualscope-load")
    matching = pool.submit(load_matcher)
    loading = pool.submit(load_rest)  # after the matcher: one thread runs them in turn
    deferred = LazyKeep(
        lambda: _screenable(matching.result(), options.categories), ready=matching.done
    )
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
        matcher = matching.result()
        classifier, version = loading.result()
        pool.shutdown()  # no thread left when the matching workers fork
        keep = deferred.resolve()
        from dualscope.geo.countries import country_from_text
        from dualscope.screening.outputs import write_outputs
        from dualscope.screening.pipeline import run_screening, store_result
        from dualscope.screening.summary import build_summary

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


def _screenable(matcher: object, categories: frozenset[str]) -> KeepFilter | None:
    from dualscope.screening.screenable import ScreenableFilter

    return ScreenableFilter.for_matcher(matcher, categories)
