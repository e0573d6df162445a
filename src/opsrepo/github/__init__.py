"""The only package that talks to GitHub (through PyGithub).

``connect`` builds a :class:`~opsrepo.github.tracker.GitHubTracker` for one
repository; the planning core (:mod:`opsrepo.actions`) drives it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlparse

from opsrepo import __version__
from opsrepo.errors import OpsrepoError, UsageError
from opsrepo.github import pacing
from opsrepo.github.tracker import GitHubTracker

DEFAULT_BASE_URL = "https://api.github.com"
#: the REST API version every request asks for (GitHub Enterprise Server supports it from 3.9)
API_VERSION = "2022-11-28"
REPO_NAME = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+\Z")
TOKEN = re.compile(r"^[\x21-\x7e]+\Z")


def connect(repo: str, token: str, base_url: str | None = None, *, clock: pacing.Clock | None = None,
            max_wait: float = 900.0, notify: Callable[[str], None] = lambda line: None) -> GitHubTracker:
    """A tracker for ``repo`` (``owner/name``) at ``base_url`` (GitHub Enterprise: ``https://HOST/api/v3``)."""
    from github import Auth, Github

    from opsrepo.github.transport import Transport

    base = check_base_url(base_url or DEFAULT_BASE_URL)
    check_repo_name(repo)
    check_token(token)
    client = Github(auth=Auth.Token(token), base_url=base, timeout=30, user_agent=f"opsrepo/{__version__}",
                    per_page=100, retry=None, seconds_between_requests=None, seconds_between_writes=None,
                    api_version=API_VERSION)
    pacer = pacing.Pacer(clock or pacing.system_clock(), max_wait=max_wait, notify=notify)
    return GitHubTracker(repo, Transport(client.requester, pacer, secret=token, base_url=base))


def check_repo_name(repo: str) -> str:
    """``owner/name`` or a usage error."""
    if not REPO_NAME.fullmatch(repo):
        raise UsageError(f"{repo!r} is not a GitHub repository name",
                         "write it as owner/name, e.g. kestrel-eng/ops")
    return repo


def check_base_url(url: str) -> str:
    """An http(s) API root without a trailing slash, or a usage error."""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise UsageError(f"{url!r} is not an API URL",
                         "use https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server")
    return url.rstrip("/")


def check_token(token: str) -> str:
    """A token that can go into a header as is (a stray newline would end up in an error message)."""
    if not TOKEN.fullmatch(token):
        raise OpsrepoError("GITHUB_TOKEN contains spaces, line breaks or other characters no token has",
                           "set GITHUB_TOKEN to the token alone, without quotes or a line break")
    return token


__all__ = ["GitHubTracker", "connect"]
