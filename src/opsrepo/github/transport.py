"""Every request to GitHub goes through here: paced, retried, counted, and never leaking the token.

PyGithub's ``Requester`` does the HTTP (auth, base URL, JSON); its own retry
(``GithubRetry``) and throttling are turned off because they would retry a
``POST`` that GitHub may already have carried out (a duplicate issue), do not
treat 429, and sleep on the real clock. Here:

- a secondary rate limit (403/429 with ``Retry-After``, or an exhausted
  primary limit) is waited out and the request repeated: GitHub did not run it;
- a 5xx, a lost connection or an answer that cannot be read (a 200 with an
  HTML page for a body, from a proxy in the way, or JSON without the fields
  the caller needs) is retried with capped exponential backoff when
  repeating is harmless; for a create it raises :class:`Uncertain` so the
  caller can look for what it created before trying again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import requests
from github.GithubException import GithubException
from github.Requester import Requester

from opsrepo.actions.tracker import Counters, TrackerError
from opsrepo.github.pacing import WRITE_METHODS, Pacer, WaitTooLong

OUTAGE_HINT = "GitHub may be having an incident (https://www.githubstatus.com); try again later"
ACCESS_HINT = ("the token needs read and write access to the repository's issues (a workflow: "
               "'permissions: issues: write'; a fine-grained token: Issues read and write)")


class NotFound(TrackerError):
    """404 or 410: the thing is not there (or the token cannot see it)."""


class Rejected(TrackerError):
    """422: GitHub refused the request's content; ``errors`` are its validation errors."""

    def __init__(self, message: str, errors: list[dict[str, Any]]) -> None:
        super().__init__(message)
        self.errors = errors

    def code(self) -> str | None:
        """The first validation error's code (``already_exists``, ``invalid``, ...)."""
        return str(self.errors[0].get("code")) if self.errors else None


class Uncertain(Exception):
    """A write that GitHub may or may not have carried out."""


class Unreadable(Exception):
    """An answer whose body is not the JSON the request gets from GitHub."""


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry."""

    attempts: int = 5
    backoff: float = 1.0
    cap: float = 30.0
    #: first wait after a secondary limit without Retry-After (GitHub: "at least one minute")
    limit_wait: float = 60.0

    def delay(self, attempt: int) -> float:
        """Backoff before attempt ``attempt + 1``: 1, 2, 4, 8 ... seconds, capped."""
        return float(min(self.backoff * 2 ** (attempt - 1), self.cap))


@dataclass(frozen=True)
class Response:
    """Headers (lower-case names) and decoded JSON (``None`` for 204)."""

    headers: Mapping[str, str]
    data: Any


@dataclass
class Transport:
    """Sends requests through PyGithub's requester under the pacer."""

    requester: Requester
    pacer: Pacer
    secret: str
    base_url: str
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    counters: Counters = field(default_factory=Counters)

    def request(self, method: str, url: str, params: dict[str, Any] | None = None,
                body: dict[str, Any] | None = None, idempotent: bool | None = None,
                parse: Callable[[Any], Any] | None = None) -> Response:
        """One API call; ``idempotent`` (default: not POST) says whether a lost answer may be retried.

        ``parse`` turns the answer's JSON into what the caller needs; when it
        cannot (a missing field, a wrong type), the answer counts as lost.
        """
        repeatable = method != "POST" if idempotent is None else idempotent
        attempt = 0
        try:
            while True:
                attempt += 1
                try:
                    return self._read(self._send(method, url, params, body), parse)
                except GithubException as exc:
                    self._handle_status(exc, method, url, attempt, repeatable)
                except (requests.RequestException, ValueError) as exc:
                    lost = f"no answer ({type(exc).__name__})"
                    self._retry_or_raise(method, url, attempt, repeatable, lost)
                except Unreadable as exc:
                    unread = f"an answer it cannot read ({exc})"
                    self._retry_or_raise(method, url, attempt, repeatable, unread)
        except WaitTooLong as exc:
            raise self._too_long(exc) from None

    @staticmethod
    def _read(response: Response, parse: Callable[[Any], Any] | None) -> Response:
        """The response with its data parsed; :class:`Unreadable` when it is not what GitHub answers."""
        data = response.data
        if isinstance(data, dict) and set(data) == {"data"} and isinstance(data["data"], str):
            raise Unreadable("not JSON")  # PyGithub's wrapping of a body that is not JSON (an HTML page)
        if parse is None:
            return response
        try:
            return Response(response.headers, parse(data))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise Unreadable(f"{type(exc).__name__} {exc}"[:120]) from None

    def pages(self, url: str, params: dict[str, Any],
              item: Callable[[dict[str, Any]], Any] | None = None) -> Iterator[list[Any]]:
        """Every page of a list (each entry through ``item``), following the ``Link: rel="next"`` header."""
        next_url: str | None = url
        query: dict[str, Any] | None = {**params, "per_page": 100}
        while next_url:
            parse = _page if item is None else lambda data: list(map(item, _page(data)))
            response = self.request("GET", next_url, query, parse=parse)
            yield response.data
            next_url, query = next_link(response.headers.get("link")), None

    def _send(self, method: str, url: str, params: dict[str, Any] | None,
              body: dict[str, Any] | None) -> Response:
        self.pacer.before(method)
        self.counters.requests += 1
        self.counters.writes += method in WRITE_METHODS
        try:
            headers, data = self.requester.requestJsonAndCheck(method, url, parameters=params, input=body)
        finally:
            self.counters.waited = self.pacer.waited
        lowered = {str(k).lower(): str(v) for k, v in (headers or {}).items()}
        self.pacer.observe(lowered)
        return Response(lowered, data)

    def _handle_status(self, exc: GithubException, method: str, url: str, attempt: int,
                       repeatable: bool) -> None:
        """Wait and return (to retry), or raise what the caller should see."""
        headers = {str(k).lower(): str(v) for k, v in (exc.headers or {}).items()}
        self.pacer.observe(headers)
        status, message = exc.status, self.redact(_message(exc.data))
        if status in (403, 429) and _rate_limited(status, headers, message):
            if attempt > self.policy.attempts:
                raise TrackerError(f"GitHub kept refusing {method} {_path(url)}: {message}",
                                   "wait an hour for GitHub's limits to reset") from None
            self.pacer.wait(self._limit_wait(headers, attempt), "GitHub's rate limit (it asked to wait)")
            return
        if status >= 500:
            self._retry_or_raise(method, url, attempt, repeatable, f"{status} {message}".strip())
            return
        raise self._refusal(status, method, url, message, exc.data) from None

    def _retry_or_raise(self, method: str, url: str, attempt: int, repeatable: bool, what: str) -> None:
        if not repeatable:
            raise Uncertain(f"{method} {_path(url)}: {what}")
        if attempt >= self.policy.attempts:
            raise TrackerError(f"GitHub failed {attempt} times on {method} {_path(url)}: {what}", OUTAGE_HINT)
        self.pacer.wait(self.policy.delay(attempt), f"GitHub to recover ({what})")

    def _limit_wait(self, headers: Mapping[str, str], attempt: int) -> float:
        after = headers.get("retry-after", "")
        if after.strip().isdigit():
            return float(after)
        if headers.get("x-ratelimit-remaining") == "0" and headers.get("x-ratelimit-reset", "").isdigit():
            return max(float(headers["x-ratelimit-reset"]) - self.pacer.clock.now() + 1, 1.0)
        return float(self.policy.limit_wait * 2 ** (attempt - 1))

    def _refusal(self, status: int, method: str, url: str, message: str, data: Any) -> TrackerError:
        where = f"{method} {_path(url)}"
        if status == 401:
            return TrackerError(f"GitHub rejected the token ({status} {message or 'Bad credentials'})",
                                "check GITHUB_TOKEN: it may be mistyped, expired or revoked")
        if status in (404, 410):
            return NotFound(f"{where}: {status} {message}".rstrip())
        if status == 422:
            errors = data.get("errors") if isinstance(data, dict) else None
            details = [e for e in errors or [] if isinstance(e, dict)]
            return Rejected(f"GitHub refused {where}: {message}", details)
        hint = ACCESS_HINT if status == 403 else None
        return TrackerError(f"GitHub refused {where}: {status} {message}".rstrip(), hint)

    def _too_long(self, exc: WaitTooLong) -> TrackerError:
        until = datetime.fromtimestamp(exc.until, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        return TrackerError(f"waiting for {exc.reason} would take {exc.seconds:.0f} s (until {until})",
                            "run the command again after that time, or allow a longer wait with --max-wait")

    def redact(self, text: str) -> str:
        """``text`` without the token."""
        return text.replace(self.secret, "***") if self.secret else text


def next_link(header: str | None) -> str | None:
    """The ``rel="next"`` URL of a ``Link`` header."""
    for part in (header or "").split(","):
        target, _, rest = part.partition(";")
        if 'rel="next"' in rest.replace(" ", ""):
            return target.strip().strip("<>")
    return None


def _page(data: Any) -> list[Any]:
    """A page of a list: a JSON array of objects (nothing for an empty answer)."""
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(entry, dict) for entry in data):
        raise TypeError("a list page that is not an array of objects")
    return data


def _rate_limited(status: int, headers: Mapping[str, str], message: str) -> bool:
    return (status == 429 or "retry-after" in headers or headers.get("x-ratelimit-remaining") == "0"
            or "rate limit" in message.lower())


def _message(data: Any) -> str:
    if isinstance(data, dict):
        return str(data.get("message") or data.get("data") or "")[:300]
    return ""


def _path(url: str) -> str:
    """The API path of ``url``, without host or query."""
    path = url.split("://", 1)[-1]
    path = path[path.find("/"):] if "://" in url else path
    return path.split("?", 1)[0]
