"""Every call to Slack goes through here: rate limits waited out, failures retried when safe, the token kept.

Slack answers a call over its rate limit with HTTP 429 and ``Retry-After``
(seconds): the call was not carried out, so it is made again after that wait.
A 5xx answer or a lost connection is retried with backoff when the call may be
repeated (reads, and writes that set a whole value: a group's members, a
topic); a message is never posted twice. ``ok: false`` is Slack's answer for
a call it refused: it raises :class:`SlackError` with Slack's error code. The
clock is injected so tests never sleep; ``slack_sdk``'s own retries are off.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.error import URLError

from opsrepo.errors import OpsrepoError, UsageError

DEFAULT_BASE_URL = "https://slack.com/api/"
TOKEN = re.compile(r"^xox[a-z]-[\x21-\x7e]+\Z")
#: calls that set a whole value, so repeating one after a lost answer changes nothing
REPEATABLE = frozenset({"usergroups.list", "users.lookupByEmail", "usergroups.users.update",
                        "conversations.setTopic"})
WRITES = frozenset({"usergroups.users.update", "conversations.setTopic", "chat.postMessage"})
OUTAGE_HINT = "Slack may be having an incident (https://slack-status.com); try again later"


class Clock(Protocol):
    """Seconds since the epoch, and a way to wait."""

    def now(self) -> float:
        """Seconds since the epoch."""

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds``."""


class SystemClock:
    """The real clock."""

    def now(self) -> float:
        """``time.time()``."""
        return time.time()

    def sleep(self, seconds: float) -> None:
        """``time.sleep()``."""
        time.sleep(seconds)


def system_clock() -> Clock:
    """The clock the CLI uses (tests replace this factory)."""
    return SystemClock()


class SlackError(OpsrepoError):
    """Slack refused a call (``code``: its error code) or could not be reached."""

    def __init__(self, message: str, hint: str | None = None, code: str | None = None) -> None:
        super().__init__(message, hint)
        self.code = code


@dataclass
class Counters:
    """Requests sent, writes among them, seconds waited for rate limits and retries."""

    requests: int = 0
    writes: int = 0
    waited: float = 0.0


@dataclass
class SlackClient:
    """``slack_sdk.WebClient`` under Slack's limits."""

    web: Any
    clock: Clock
    max_wait: float = 900.0
    attempts: int = 5
    counters: Counters = field(default_factory=Counters)

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """One Web API method (``usergroups.list``, ...); its answer's data when ``ok``."""
        from slack_sdk.errors import SlackApiError

        function = getattr(self.web, method.replace(".", "_"))
        for attempt in range(1, self.attempts + 1):
            self.counters.requests += 1
            self.counters.writes += method in WRITES
            try:
                return dict(function(**params).data)
            except SlackApiError as exc:
                self._refused(method, exc, attempt)
            except (URLError, OSError, TimeoutError) as exc:
                self._lost(method, f"no answer ({type(exc).__name__})", attempt)
        raise SlackError(f"Slack failed {self.attempts} times on {method}", OUTAGE_HINT)

    def _refused(self, method: str, exc: Any, attempt: int) -> None:
        """Wait (to retry) on a rate limit or an outage; raise what the caller should see."""
        response = exc.response
        status = int(response.status_code)
        if status == 429:
            headers = {str(k).lower(): str(v) for k, v in (response.headers or {}).items()}
            after = headers.get("retry-after", "")
            self._wait(float(after) if after.strip().isdigit() else 2.0 ** attempt,
                       f"Slack's rate limit of {method}")
            return
        if status >= 500:
            self._lost(method, f"HTTP {status}", attempt)
            return
        data = response.data if isinstance(response.data, dict) else {}
        code = str(data.get("error") or f"HTTP {status}")
        raise SlackError(f"Slack refused {method}: {code}", _hint(code), code) from None

    def _lost(self, method: str, what: str, attempt: int) -> None:
        if method not in REPEATABLE:
            raise SlackError(f"{method} got {what}: it may or may not have been carried out",
                             "check the channel before running again") from None
        if attempt >= self.attempts:
            raise SlackError(f"Slack failed {attempt} times on {method}: {what}", OUTAGE_HINT) from None
        self._wait(min(2.0 ** (attempt - 1), 30.0), f"Slack to recover ({what})")

    def _wait(self, seconds: float, reason: str) -> None:
        if self.counters.waited + seconds > self.max_wait:
            raise SlackError(f"waiting for {reason} would take {self.counters.waited + seconds:.0f} s in all",
                             "run the command again later, or allow a longer wait with --max-wait") from None
        self.counters.waited += seconds
        self.clock.sleep(seconds)


def connect(token: str, base_url: str | None = None, *, max_wait: float = 900.0,
            clock: Clock | None = None) -> SlackClient:
    """A client for the workspace of ``token`` at ``base_url`` (default Slack's)."""
    from slack_sdk import WebClient

    if not TOKEN.fullmatch(token):
        raise OpsrepoError("SLACK_BOT_TOKEN is not a Slack token (xoxb-...), or has spaces or line breaks",
                           "set SLACK_BOT_TOKEN to the bot token alone")
    base = base_url or DEFAULT_BASE_URL
    if not re.match(r"^https?://[^/]+", base):
        raise UsageError(f"{base!r} is not an API URL", "use https://slack.com/api/")
    web = WebClient(token=token, base_url=base.rstrip("/") + "/", timeout=30, retry_handlers=[])
    return SlackClient(web, clock or system_clock(), max_wait=max_wait)


_HINTS = {
    "invalid_auth": "check SLACK_BOT_TOKEN: it may be mistyped or revoked",
    "not_authed": "set SLACK_BOT_TOKEN",
    "token_revoked": "install the app again and set the new SLACK_BOT_TOKEN",
    "missing_scope": "give the Slack app the scopes usergroups:read, usergroups:write, users:read.email, "
                     "channels:write (topics) and chat:write (handoff messages)",
    "permission_denied": "the app may not change this user group: check the workspace's user group settings",
    "not_in_channel": "invite the app to the channel (/invite @app)",
    "channel_not_found": "check the channel ID in opsrepo.yaml (the ID, not its #name)",
}


def _hint(code: str) -> str | None:
    return _HINTS.get(code)
