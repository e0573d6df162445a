"""What a Prometheus alert's labels and annotations mean to opsrepo: its level, whether it pages, its runbook.

Shared by the OPS7xx rules and the site, so both read an alert the same way.

- An alert's level is its ``severity`` label: a level id of the matrix, or a
  value ``alerts.severity_labels`` in opsrepo.yaml maps to one
  (``critical: SEV1``). It pages when that level has ``pages: true``.
- Its runbook is its ``runbook_url`` annotation: the runbook's page on the
  site (``site.base_url`` + ``runbooks/<id>.html``, with or without
  ``.html``), the runbook's id (``payments/high-error-rate``) or its path in
  the repo (``runbooks/payments/high-error-rate.md``); a ``#fragment`` is
  allowed.
- Alert names in team files and runbooks name rule-file alerts ignoring case,
  ``-`` and ``_``: ``payments-api-5xx`` is ``PaymentsApi5xx``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from opsrepo.model import AlertRule, Repo, SeverityLevel
from opsrepo.records import dataclass

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
TEMPLATE = "{{"


def name_key(name: str) -> str:
    """The form alert names are compared in: ``payments-api-5xx`` and ``PaymentsApi5xx`` are one name."""
    return name.lower().replace("-", "").replace("_", "")


def severity_label(rule: AlertRule) -> str | None:
    """The alert's ``severity`` label, as written."""
    return rule.labels.get("severity")


def level_of(repo: Repo, value: str) -> SeverityLevel | None:
    """The matrix level a severity label's value names, directly or through ``alerts.severity_labels``."""
    level = repo.severity(value)
    if level is None and value in repo.org.severity_labels:
        level = repo.severity(repo.org.severity_labels[value])
    return level


def pages(repo: Repo, rule: AlertRule) -> bool | None:
    """Whether the alert pages: its level's ``pages``; a templated label may page; None when unknown."""
    value = severity_label(rule)
    if value is None:
        return None
    if TEMPLATE in value:
        return True  # its level is decided when it fires: treat it as one that may page
    level = level_of(repo, value)
    return None if level is None else level.pages


@dataclass(frozen=True)
class RunbookLink:
    """Where a ``runbook_url`` points: a runbook id of this repo (maybe unknown), or why it cannot say."""

    #: the runbook id it names (which may not exist), or None
    runbook: str | None = None
    #: True when it points into this repo (its site, a runbook id or path), so it must resolve
    ours: bool = True
    #: why it names no runbook of this repo, when it does not
    problem: str | None = None
    hint: str | None = None


def resolve_runbook_url(repo: Repo, value: str) -> RunbookLink:
    """Where a ``runbook_url`` annotation points (see the module's documentation)."""
    url = value.strip()
    if TEMPLATE in url:
        return RunbookLink(ours=False, hint="write the runbook's URL or id out",
                           problem="is a template, so opsrepo cannot tell which runbook it opens")
    if _SCHEME.match(url):
        return _site_url(repo, url)
    path = url.split("#", 1)[0].split("?", 1)[0].removeprefix("./").removeprefix("/")
    found = _runbook_id(path) if path.startswith("runbooks/") else path.removesuffix(".md")
    return RunbookLink(runbook=found)



def _site_url(repo: Repo, url: str) -> RunbookLink:
    base = repo.org.site_base_url
    if not base:
        return RunbookLink(ours=False, problem="is a URL, and site.base_url in opsrepo.yaml is not set, "
                           "so opsrepo cannot tell whether it is a runbook page of this repo",
                           hint="set site.base_url in opsrepo.yaml, or write the runbook's id")
    base = base if base.endswith("/") else base + "/"
    if not url.lower().startswith(base.lower()):
        return RunbookLink(ours=False, problem=f"is not a page of this repo's site ({base})",
                           hint=f"point it at the runbook's page, {base}runbooks/<id>.html, or write its id")
    path = url[len(base):].split("#", 1)[0].split("?", 1)[0]
    if not path.startswith("runbooks/"):
        return RunbookLink(problem="is a page of this repo's site, but not a runbook's",
                           hint=f"point it at a runbook's page, {base}runbooks/<id>.html")
    return RunbookLink(runbook=_runbook_id(path))


def _runbook_id(path: str) -> str:
    """``runbooks/payments/x.html``, ``runbooks/payments/x``, ``runbooks/payments/x.md`` -> ``payments/x``."""
    path = path.removeprefix("runbooks/").rstrip("/")
    for suffix in (".html", ".md"):
        path = path.removesuffix(suffix)
    return path


def runbook_of(repo: Repo, rule: AlertRule) -> str | None:
    """The id of the repo's runbook the alert's ``runbook_url`` opens, when it opens one."""
    value = rule.annotations.get("runbook_url")
    if value is None:
        return None
    found = resolve_runbook_url(repo, value).runbook
    return found if found in repo.runbooks else None


def runbook_url_for(repo: Repo, runbook_id: str) -> str:
    """What to write as ``runbook_url`` for a runbook: its page on the site, else its id."""
    base = repo.org.site_base_url
    if not base:
        return runbook_id
    return f"{base if base.endswith('/') else base + '/'}runbooks/{runbook_id}.html"


def written_like(repo: Repo, value: str, runbook_id: str) -> str:
    """A ``runbook_url`` for a runbook in the form ``value`` has: a site URL, a path in the repo or an id."""
    value = value.strip()
    if _SCHEME.match(value):
        return runbook_url_for(repo, runbook_id)
    if value.removeprefix("./").removeprefix("/").startswith("runbooks/"):
        return f"runbooks/{runbook_id}.md"
    return runbook_id


def alerts_by_key(rules: Iterable[AlertRule]) -> dict[str, list[AlertRule]]:
    """The alerting rules by :func:`name_key` of their names."""
    found: dict[str, list[AlertRule]] = {}
    for rule in rules:
        if rule.alert is not None:
            found.setdefault(name_key(rule.alert), []).append(rule)
    return found
