"""Even an answer to a bug carries the security headers and no internals."""

from __future__ import annotations

import httpx

from dualscope.web.app import create_app
from dualscope.web.background import serve_in_thread
from dualscope.web.security import SECURITY_HEADERS


def test_a_500_has_the_security_headers_and_no_traceback(web_store, web_settings) -> None:
    app = create_app(web_store[0], settings=web_settings)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internal detail")

    with serve_in_thread(app) as base, httpx.Client(base_url=base) as client:
        response = client.get("/boom")
    assert response.status_code == 500
    for name in SECURITY_HEADERS:
        assert name in response.headers, name
    assert "secret" not in response.text
