"""The only package that talks to PagerDuty (through PagerDuty's ``pagerduty`` client library).

``connect`` builds the :class:`~opsrepo.apply.api.Api` that the apply core
(:mod:`opsrepo.apply`) drives.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from opsrepo.errors import OpsrepoError, UsageError
from opsrepo.pagerduty import pacing

if TYPE_CHECKING:
    from opsrepo.pagerduty.rest import RestApi

DEFAULT_API_URL = "https://api.pagerduty.com"
TOKEN = re.compile(r"^[\x21-\x7e]+\Z")


def connect(
    token: str,
    api_url: str | None = None,
    *,
    clock: pacing.Clock | None = None,
    max_wait: float = 900.0,
    notify: Callable[[str], None] = lambda line: None,
) -> RestApi:
    """An API client for ``api_url`` (default https://api.pagerduty.com; EU: https://api.eu.pagerduty.com)."""
    from opsrepo.pagerduty.client import Client
    from opsrepo.pagerduty.rest import RestApi

    check_token(token)
    pacer = pacing.Pacer(clock or pacing.system_clock(), max_wait=max_wait, notify=notify)
    try:
        client = Client(token, api_url or DEFAULT_API_URL, pacer)
    except ValueError as exc:
        raise UsageError(
            str(exc),
            "use https://api.pagerduty.com, or https://api.eu.pagerduty.com in the EU service region",
        ) from None
    return RestApi(client)


def check_token(token: str) -> str:
    """A token that can go into a header as is."""
    if not TOKEN.fullmatch(token):
        raise OpsrepoError(
            "PAGERDUTY_TOKEN contains spaces, line breaks or other characters no token has",
            "set PAGERDUTY_TOKEN to the REST API key alone, without quotes or a line break",
        )
    return token
