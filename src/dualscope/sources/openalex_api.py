"""OpenAlex API client: cursor paging with retries, for `dualscope fetch`.

Only what a harvest needs: ``GET /works`` with a filter, ``select=``, ``per_page=100`` and
cursor paging (``cursor=*``, then ``meta.next_cursor``). Faults are retried with exponential
back-off and jitter: 429 (honouring ``Retry-After`` in seconds or as an HTTP date), 5xx,
timeouts, connection errors and cut-off or invalid JSON bodies; after ``max_attempts`` a
:class:`DualscopeError` says what kept failing. Other 4xx answers (a bad key, a bad filter) stop
at once with the API's message.
"""

from __future__ import annotations

import email.utils
import json
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from dualscope import __version__
from dualscope.errors import ConfigError, DualscopeError

PER_PAGE = 100
MAX_OR_VALUES = 100  # OpenAlex: at most 100 values OR'ed with "|"
# The fields dualscope reads (see store.ingest.READ_COLUMNS).
SELECT_FIELDS = (
    "id",
    "doi",
    "title",
    "display_name",
    "publication_year",
    "updated_date",
    "authorships",
    "topics",
    "keywords",
    "abstract_inverted_index",
)


@dataclass(frozen=True)
class WorksQuery:
    """Works co-authored by China and any of ``countries``, optionally within years."""

    countries: tuple[str, ...]
    since: int | None = None
    until: int | None = None

    def __post_init__(self) -> None:
        if not self.countries:
            raise DualscopeError("no focus country given", hint="use --country IT or omit it")
        if "CN" in self.countries:
            raise DualscopeError(
                "CN cannot be a focus country: the query is China AND the focus countries",
                hint="drop --country CN",
            )
        if len(self.countries) > MAX_OR_VALUES:
            raise DualscopeError(
                f"{len(self.countries)} countries: OpenAlex accepts at most {MAX_OR_VALUES} "
                "values in one filter",
                hint="run fetch once per group of countries",
            )

    @property
    def filter(self) -> str:
        """The canonical filter string; also the key of the resumable state."""
        parts = [
            "authorships.countries:cn",
            "authorships.countries:" + "|".join(c.lower() for c in sorted(self.countries)),
        ]
        if self.since is not None and self.until is not None:
            parts.append(f"publication_year:{self.since}-{self.until}")
        elif self.since is not None:
            parts.append(f"publication_year:>{self.since - 1}")
        elif self.until is not None:
            parts.append(f"publication_year:<{self.until + 1}")
        return ",".join(parts)


@dataclass
class Page:
    """One answer of ``/works``."""

    results: list[Any]
    count: int | None
    next_cursor: str | None
    headers: dict[str, str]


@dataclass
class ClientStats:
    requests: int = 0
    retries: int = 0
    faults: dict[str, int] = field(default_factory=dict)
    rate_limit_remaining: str | None = None
    rate_limit_limit: str | None = None

    def fault(self, kind: str) -> None:
        self.faults[kind] = self.faults.get(kind, 0) + 1


class _Retry(Exception):
    def __init__(self, kind: str, wait: float | None = None) -> None:
        super().__init__(kind)
        self.kind = kind
        self.wait = wait


class OpenAlexClient:
    """A small, patient client of the OpenAlex ``/works`` endpoint."""

    def __init__(
        self,
        base_url: str,
        api_key: str | None,
        *,
        timeout: float = 30.0,
        max_attempts: int = 8,
        backoff: float = 1.0,
        max_backoff: float = 120.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not api_key:
            raise ConfigError(
                "no OpenAlex API key: set the OPENALEX_API_KEY environment variable",
                hint="a free key is available from openalex.org; the API requires one",
            )
        self.base_url = base_url.rstrip("/")
        self._key = api_key
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.max_backoff = max_backoff
        self._sleep = sleep
        self.stats = ClientStats()
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout),
            headers={"User-Agent": f"dualscope/{__version__}"},
            follow_redirects=True,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> OpenAlexClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def works_page(
        self, query: WorksQuery, cursor: str, select: Sequence[str] = SELECT_FIELDS
    ) -> Page:
        """One page of works for ``query`` at ``cursor``, retrying transient faults."""
        params = {
            "filter": query.filter,
            "select": ",".join(select),
            "per_page": str(PER_PAGE),
            "cursor": cursor,
            "api_key": self._key,
        }
        last = ""
        for attempt in range(1, self.max_attempts + 1):
            try:
                return self._get(f"{self.base_url}/works", params)
            except _Retry as retry:
                last = retry.kind
                self.stats.fault(retry.kind)
                if attempt == self.max_attempts:
                    break
                self.stats.retries += 1
                self._sleep(self._delay(attempt, retry.wait))
        raise DualscopeError(
            f"OpenAlex API at {self.base_url} kept failing ({last}) after "
            f"{self.max_attempts} attempts",
            hint="try again later; a rerun of `dualscope fetch` resumes where it stopped",
        )

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_backoff)
        base = min(self.backoff * 2 ** (attempt - 1), self.max_backoff)
        return base / 2 + random.uniform(0, base / 2)  # noqa: S311 (jitter, not crypto)

    def _get(self, url: str, params: dict[str, str]) -> Page:
        self.stats.requests += 1
        try:
            response = self._http.get(url, params=params)
            body = response.content
        except httpx.TimeoutException as exc:
            raise _Retry("timeout") from exc
        except httpx.TransportError as exc:  # connection refused/reset, cut-off body
            raise _Retry(f"connection error: {type(exc).__name__}") from exc
        self._remember_budget(response.headers)
        status = response.status_code
        if status == 429:
            raise _Retry("429 too many requests", _retry_after(response.headers))
        if status >= 500:
            raise _Retry(f"HTTP {status}", _retry_after(response.headers))
        if status >= 400:
            raise DualscopeError(
                f"OpenAlex API refused the request: HTTP {status} {_api_message(body)}",
                hint="check OPENALEX_API_KEY and the --country/--since/--until values"
                if status in (401, 403)
                else "check the query options",
            )
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise _Retry("cut-off or invalid JSON body") from exc
        if not isinstance(data, dict) or not isinstance(data.get("results"), list):
            raise _Retry("answer without a results list")
        meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
        assert isinstance(meta, dict)
        count = meta.get("count")
        cursor = meta.get("next_cursor")
        return Page(
            results=data["results"],
            count=int(count) if isinstance(count, int) else None,
            next_cursor=cursor if isinstance(cursor, str) and cursor else None,
            headers=dict(response.headers),
        )

    def _remember_budget(self, headers: httpx.Headers) -> None:
        remaining = headers.get("x-ratelimit-remaining")
        limit = headers.get("x-ratelimit-limit")
        if remaining is not None:
            self.stats.rate_limit_remaining = remaining
        if limit is not None:
            self.stats.rate_limit_limit = limit


def _retry_after(headers: httpx.Headers) -> float | None:
    """Seconds to wait from ``Retry-After`` (delta-seconds or an HTTP date), if given."""
    value = headers.get("retry-after")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


def _api_message(body: bytes) -> str:
    try:
        data = json.loads(body)
    except ValueError:
        return body[:200].decode("utf-8", "replace")
    if isinstance(data, dict):
        return str(data.get("message") or data.get("error") or "")[:300]
    return ""
