"""PagerDuty's REST API v2 through PagerDuty's official client.

The client (``pagerduty.RestApiV2Client``) paginates (``iter_all``), unwraps
entities and retries: 429 answers and the 5xx statuses below are tried again
with growing pauses, a bounded number of times. What it reads is the account
as the saved folder holds it (:mod:`opsrepo.vendors.pd_folder`).
"""

from __future__ import annotations

import inspect
import logging
import time
import urllib.parse
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from opsrepo.vendors import VendorError

DEFAULT_URL = "https://api.pagerduty.com"
#: how far ahead overrides are read (the import keeps those not yet ended)
OVERRIDES_AHEAD = timedelta(days=366)
RETRIED = {429: 8, 500: 3, 502: 3, 503: 3, 504: 3}
#: the client's first pause before a retry, doubled each time (tests make it short)
PAUSE = 1.5
NETWORK_ATTEMPTS = 3
#: items asked per page of a list (PagerDuty allows up to 100)
PAGE_SIZE = 100
#: the longest wait a 429's Retry-After or ratelimit-reset header is obeyed for
LONGEST_WAIT = 60.0
#: pauses a 429 asks for; tests replace it
sleep: Callable[[float], None] = time.sleep


def _instant(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _list_body(kind: str, items: list[Any]) -> dict[str, Any]:
    return {kind: items, "limit": len(items), "offset": 0, "more": False, "total": len(items)}


# -- the API -------------------------------------------------------------------------------------------


def fetch(url: str, token: str, since: datetime, until: datetime) -> dict[str, Any]:
    """The whole account, as the saved folder holds it, with renderings over ``[since, until)``."""
    import pagerduty

    # the client logs each retry as a warning; the import reports failures itself
    logging.getLogger("pagerduty").addHandler(logging.NullHandler())
    logging.getLogger("pagerduty").propagate = False
    client = _client_class()(token, base_url=url.rstrip("/"))
    client.retry = dict(RETRIED)
    client.max_http_attempts = 12
    client.max_network_attempts = NETWORK_ATTEMPTS
    client.sleep_timer = PAUSE
    client.default_page_size = PAGE_SIZE
    try:
        with client:
            return _read_account(client, since, until)
    except pagerduty.HttpError as exc:
        code = exc.response.status_code if exc.response is not None else 0
        if code == 401:
            raise VendorError(
                "PagerDuty did not accept the token (401 Unauthorized)",
                usage=True,
                hint="check $PAGERDUTY_TOKEN (a REST API key of the account), and --api-url for an EU "
                "account (https://api.eu.pagerduty.com)",
            ) from None
        if code == 403:
            request = exc.response.request if exc.response is not None else None
            where = f" to GET {urllib.parse.urlsplit(str(request.url)).path}" if request is not None else ""
            raise VendorError(
                f"PagerDuty refused the token access{where} (403 Forbidden)",
                usage=True,
                hint="use a key that may read users, teams, services, escalation policies and schedules "
                "(an account's read-only REST API key may)",
            ) from None
        raise VendorError(f"PagerDuty answered {code}: {str(exc).splitlines()[0]}") from None
    except pagerduty.Error as exc:
        raise VendorError(
            f"cannot read PagerDuty at {url}: {str(exc).splitlines()[0]}", usage=True, hint="check --api-url"
        ) from None


def _client_class() -> Any:
    """The official client, with two changes.

    It refuses a base URL that is not https: here http to a loopback server
    (a test) is allowed too. And on a 429 it only backs off by its own timer:
    here it first waits what the answer asks, ``ratelimit-reset`` (PagerDuty's
    header: "how many seconds to wait before retrying",
    support.pagerduty.com/docs/rest-api-rate-limits) or ``Retry-After``.
    """
    import pagerduty

    from opsrepo.vendors import loopback

    official: Any = inspect.getattr_static(pagerduty.RestApiV2Client, "url")

    def set_url(self: Any, value: str) -> None:
        if value.startswith("http://") and loopback(value):
            self._url = value
        else:
            official.fset(self, value)

    def postprocess(self: Any, response: Any, suffix: str | None = None) -> None:
        pagerduty.RestApiV2Client.postprocess(self, response, suffix)
        if response.status_code == 429:
            asked = [_seconds(response.headers.get(h)) for h in ("ratelimit-reset", "retry-after")]
            sleep(min(max(asked), LONGEST_WAIT))

    return type(
        "Client",
        (pagerduty.RestApiV2Client,),
        {"url": property(official.fget, set_url), "postprocess": postprocess},
    )


def _seconds(header: str | None) -> float:
    """A header's number of seconds to wait (0 when absent or not a number)."""
    try:
        return max(0.0, float(header)) if header is not None else 0.0
    except ValueError:
        return 0.0


def _all(client: Any, path: str, **params: Any) -> list[dict[str, Any]]:
    return list(client.iter_all(path, params=params or None))


def _read_account(client: Any, since: datetime, until: datetime) -> dict[str, Any]:
    window = {"since": _instant(since), "until": _instant(until), "time_zone": "UTC"}
    raw: dict[str, Any] = {
        "meta": {
            "vendor": "pagerduty",
            "since": window["since"],
            "until": window["until"],
            "time_zone": "UTC",
        }
    }
    raw["users"] = _list_body("users", _all(client, "users", **{"include[]": ["teams"]}))
    raw["teams"] = _list_body("teams", _all(client, "teams"))
    raw["team_members"] = {
        t["id"]: _list_body("members", _all(client, f"teams/{t['id']}/members"))
        for t in raw["teams"]["teams"]
    }
    raw["services"] = _list_body("services", _all(client, "services"))
    raw["escalation_policies"] = _list_body("escalation_policies", _all(client, "escalation_policies"))
    listed = _all(client, "schedules")
    raw["schedules"] = _list_body(
        "schedules", [client.rget(f"schedules/{s['id']}", params=window) for s in listed]
    )
    ahead = {"since": _instant(since), "until": _instant(since + OVERRIDES_AHEAD)}
    raw["overrides"] = {
        s["id"]: {"overrides": client.rget(f"schedules/{s['id']}/overrides", params=ahead)} for s in listed
    }
    raw["v3_schedules"] = {"schedules": list(_v3(client, window))}
    return raw


def _v3(client: Any, window: dict[str, str]) -> Iterator[dict[str, Any]]:
    """Every v3 shift-based schedule with its rotations' events (none when the account has no v3 API)."""
    import pagerduty

    try:
        listed = _all(client, "v3/schedules")
    except pagerduty.HttpError as exc:
        if exc.response is not None and exc.response.status_code in (400, 403, 404):
            return
        raise
    for ref in listed:
        schedule = client.rget(
            f"v3/schedules/{ref['id']}", params={"include[]": ["final_schedule"], **window}
        )
        schedule["rotations"] = [
            {**r, "events": _all(client, f"v3/schedules/{ref['id']}/rotations/{r['id']}/events")}
            for r in _all(client, f"v3/schedules/{ref['id']}/rotations")
        ]
        yield schedule
