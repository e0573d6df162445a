"""Every request to PagerDuty goes through here: PagerDuty's own client, paced, retried, counted, token-safe.

``pagerduty.RestApiV2Client`` does the API's conventions (auth header, base
URL, entity wrapping, classic pagination); its request loop is replaced by
one that honours ``Retry-After`` (the library's sleeps grow blindly and
retry every 429 forever), retries a 5xx with capped exponential backoff, and
never repeats a create PagerDuty may have carried out: that raises
:class:`~opsrepo.apply.api.Uncertain`, and the caller looks for the object
before trying again.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any
from urllib.parse import urlparse

import httpx2
import pagerduty

from opsrepo import __version__
from opsrepo.apply.api import ApiError, Counters, Uncertain
from opsrepo.pagerduty.pacing import Pacer, WaitTooLong

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
#: connection failures that mean the request never left
NOT_SENT = (httpx2.ConnectError, httpx2.ConnectTimeout, httpx2.PoolTimeout)
OUTAGE_HINT = "PagerDuty may be having an incident (https://status.pagerduty.com); try again later"
ACCESS_HINT = (
    "the token needs a REST API key with write access (read-only is enough for --plan and --check); "
    "set PAGERDUTY_TOKEN"
)


class Client(pagerduty.RestApiV2Client):
    """PagerDuty's REST API v2 client with opsrepo's request loop."""

    attempts = 5
    backoff = 1.0
    backoff_cap = 30.0

    def __init__(self, token: str, base_url: str, pacer: Pacer, timeout: float = 30.0) -> None:
        super().__init__(token, base_url=base_url)
        self.pacer = pacer
        self.counters = Counters()
        self.timeout = timeout  # type: ignore[assignment]
        self.secret = token

    @property
    def url(self) -> str:
        """The API root; https, or http on this machine (a test server)."""
        return str(self._url)

    @url.setter
    def url(self, value: str) -> None:
        parsed = urlparse(value)
        if parsed.scheme != "https" and not (parsed.scheme == "http" and parsed.hostname in LOOPBACK):
            raise ValueError(f"{value!r}: the PagerDuty API must be reached over https")
        self._url = value.rstrip("/")

    @property
    def user_agent(self) -> str:
        """Opsrepo's name, then the library's."""
        return f"opsrepo/{__version__} {super().user_agent}"

    def request(self, method: str, url: str, **kwargs: Any) -> httpx2.Response:  # type: ignore[override]
        """Send once per attempt: wait for the rate limit, retry what is safe to retry."""
        method = method.strip().upper()
        full_url = self.normalize_url(url)
        send = deepcopy(kwargs)
        send.update(
            headers=self.prepare_headers(method, user_headers=kwargs.get("headers", {})),
            timeout=self.timeout,
            auth=None,
            follow_redirects=False,
            cookies=None,
        )
        if kwargs.get("params"):
            send["params"] = self.normalize_params(kwargs["params"])
        for attempt in range(1, self.attempts + 1):
            try:
                self.pacer.before()
            except WaitTooLong as exc:
                raise ApiError(
                    f"PagerDuty's rate limit asks to wait {exc.seconds:.0f} s, more than --max-wait",
                    "run again later, or raise --max-wait",
                ) from None
            self.counters.requests += 1
            if method != "GET":
                self.counters.writes += 1
            try:
                response = httpx2.Client.request(self, method, full_url, **send)
            except NOT_SENT as exc:
                self._retry_later(attempt, method, full_url, f"cannot connect ({type(exc).__name__})")
                continue
            except httpx2.TransportError as exc:
                if method == "POST":
                    raise Uncertain(f"the connection broke during POST {self._path(full_url)}") from None
                self._retry_later(attempt, method, full_url, f"the connection broke ({type(exc).__name__})")
                continue
            self.postprocess(response)
            headers = {k.lower(): v for k, v in response.headers.items()}
            self.pacer.observe(headers)
            if response.status_code == 429:
                self._wait_limited(headers, attempt)
                continue
            if response.status_code >= 500:
                if method == "POST":
                    raise Uncertain(
                        f"PagerDuty answered {response.status_code} to POST {self._path(full_url)}"
                    )
                self._retry_later(attempt, method, full_url, f"PagerDuty answered {response.status_code}")
                continue
            return response
        raise ApiError(
            f"PagerDuty failed {self.attempts} times on {method} {self._path(full_url)}", OUTAGE_HINT
        )

    def _wait_limited(self, headers: dict[str, str], attempt: int) -> None:
        try:
            self.pacer.limited(headers, attempt)
        except WaitTooLong as exc:
            raise ApiError(
                f"PagerDuty's rate limit asks to wait {exc.seconds:.0f} s, more than --max-wait",
                "run again later, or raise --max-wait",
            ) from None

    def _retry_later(self, attempt: int, method: str, url: str, why: str) -> None:
        if attempt == self.attempts:
            raise ApiError(f"{why} on {method} {self._path(url)} ({attempt} attempts)", OUTAGE_HINT)
        delay = min(self.backoff * 2 ** (attempt - 1), self.backoff_cap)
        try:
            self.pacer.wait(delay, f"PagerDuty to recover ({why})")
        except WaitTooLong:
            raise ApiError(f"{why} on {method} {self._path(url)}", OUTAGE_HINT) from None

    def _path(self, url: str) -> str:
        return urlparse(url).path

    def redact(self, text: str) -> str:
        """``text`` without the token."""
        return text.replace(self.secret, "***") if self.secret else text
