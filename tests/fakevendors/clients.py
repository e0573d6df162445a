"""PagerDuty's official Python client pointed at the fake.

``pagerduty.RestApiV2Client`` only takes ``https://`` base URLs, so it keeps
``https://api.pagerduty.com`` and is given an HTTP transport that sends each
request to the fake instead (its ``transport`` keyword goes to ``httpx2.Client``).
Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx2
import pagerduty

from tests.fakevendors.pd_server import TOKEN, FakePagerDuty


class ToFake(httpx2.BaseTransport):
    """Rewrites every request's scheme, host and port to the fake's."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port
        self.inner = httpx2.HTTPTransport()

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        request.url = request.url.copy_with(scheme="http", host=self.host, port=self.port)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def pagerduty_client(fake: FakePagerDuty, token: str = TOKEN,
                     default_from: str = "admin@example.com") -> pagerduty.RestApiV2Client:
    """A client of the fake that retries 429s and 5xx quickly (the library waits 1.5 s and more by default)."""
    session = pagerduty.RestApiV2Client(token, default_from=default_from, transport=ToFake(fake.url))
    session.sleep_timer = 0.01
    session.max_http_attempts = 4
    return session
