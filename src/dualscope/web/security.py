"""Access token and security headers, applied to every request of the web app.

Bound to localhost (the default) the app needs no token but accepts only local ``Host`` headers,
which stops a web page elsewhere from reaching it through DNS rebinding. Bound elsewhere it needs
a token (``DUALSCOPE_TOKEN``) on every request: ``Authorization: Bearer <token>`` for API
clients, or ``?token=<token>`` once in a browser, which sets an HttpOnly cookie and redirects to
the same URL without the token. Tokens are compared in constant time.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
from collections.abc import Awaitable, Callable
from urllib.parse import urlencode

from fastapi import Request, Response
from fastapi.responses import JSONResponse, RedirectResponse

from dualscope.errors import ConfigError

COOKIE = "dualscope_token"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})

SECURITY_HEADERS = {
    # Pages load only their own script and stylesheet; SVG charts are inline markup.
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1)."""
    if host.strip("[]") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def require_token_for(host: str, token: str | None) -> None:
    """Refuse to serve on a non-loopback ``host`` without a token (a clear one-line error)."""
    if not is_loopback(host) and not token:
        raise ConfigError(
            f"refusing to bind {host} without a token",
            hint="set DUALSCOPE_TOKEN to a long random value, or bind 127.0.0.1",
        )
    if token is not None and len(token) < 16:
        raise ConfigError(
            "DUALSCOPE_TOKEN is too short (fewer than 16 characters)",
            hint="use e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`",
        )


def token_ok(given: str | None, expected: str) -> bool:
    """Constant-time comparison of a presented token with the expected one."""
    if not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _bearer(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    scheme, _, value = auth.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


def _host_name(request: Request) -> str:
    host = request.headers.get("host", "")
    if host.startswith("["):
        return host.split("]")[0] + "]"
    return host.rsplit(":", 1)[0] if ":" in host else host


Handler = Callable[[Request], Awaitable[Response]]
_log = logging.getLogger(__name__)


def make_guard(token: str | None) -> Callable[[Request, Handler], Awaitable[Response]]:
    """The HTTP middleware: host check or token check, then security headers on the answer."""

    async def guard(request: Request, call_next: Handler) -> Response:
        try:
            response = await _check(request, call_next, token)
        except Exception:  # a bug: answer 500 with the same headers, say nothing of internals
            _log.exception("unhandled error on %s %s", request.method, request.url.path)
            response = JSONResponse({"detail": "internal error"}, status_code=500)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return guard


async def _check(request: Request, call_next: Handler, token: str | None) -> Response:
    if token is None:
        if _host_name(request) not in LOCAL_HOSTS:
            return JSONResponse({"detail": "this server only answers to localhost"}, 400)
        return await call_next(request)
    query_token = request.query_params.get("token")
    if query_token is not None and token_ok(query_token, token) and request.method == "GET":
        rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
        url = request.url.path + ("?" + urlencode(rest) if rest else "")
        redirect = RedirectResponse(url, status_code=303)
        redirect.set_cookie(COOKIE, token, httponly=True, samesite="strict")
        return redirect
    if token_ok(_bearer(request), token) or token_ok(request.cookies.get(COOKIE), token):
        return await call_next(request)
    return JSONResponse(
        {"detail": "a valid token is required (Authorization: Bearer <token>, or ?token=)"},
        status_code=401,
        headers={"WWW-Authenticate": "Bearer"},
    )
