"""``opsrepo import``: read the account, map it, write the files, verify, report (the IO around the core)."""

from __future__ import annotations

import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from opsrepo.errors import UsageError
from opsrepo.importers import files, opsgenie, pagerduty, report
from opsrepo.importers.common import Existing, org_document, path_of, severity_document
from opsrepo.importers.result import Imported
from opsrepo.vendors import VendorError, proof

REPORT_FILE = "import-report.md"


@dataclass(frozen=True)
class ImportRequest:
    """What ``opsrepo import VENDOR`` was asked."""

    vendor: str
    now: datetime
    out: Path
    token: str | None = None
    api_url: str | None = None
    source_dir: Path | None = None
    save_dir: Path | None = None
    verify_days: int = 28
    force: bool = False


@dataclass(frozen=True)
class Outcome:
    """The report of a finished import, the exit code it deserves, and the seconds each phase took."""

    imported: Imported
    exit_code: int
    #: wall-clock seconds of ``read`` (the API or the folder), ``map``, ``write``, ``verify``, ``report``
    seconds: dict[str, float] = field(default_factory=dict)

    def text(self, output_format: str) -> str:
        """The report as ``--format`` asks."""
        return (
            report.to_json(self.imported.report)
            if output_format == "json"
            else report.to_markdown(self.imported.report)
        )


class _Clock:
    """Seconds spent in each phase, for benchmarks (benchmarks/import.py)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.seconds[phase] = now - self._last
        self._last = now


def run(request: ImportRequest) -> Outcome:
    """The whole import; UsageError (exit 2) for what the user must fix in the command line."""
    clock = _Clock()
    raw, window = _read(request)
    clock.lap("read")
    existing = _existing(request.out)
    if request.vendor == "pagerduty":
        from opsrepo.vendors import pd_folder

        imported = pagerduty.import_account(pd_folder.account(raw), request.now, existing)
    else:
        imported = opsgenie.import_account(_opsgenie_api().account(raw), request.now, existing)
    documents = {
        path_of("org"): org_document(imported.report.vendor, imported.timezone),
        path_of("severity"): severity_document(),
        **imported.documents,
    }
    clock.lap("map")
    planned = _write(request, documents)
    imported.report.files = {p.path: p.status for p in planned}
    clock.lap("write")
    days = request.verify_days
    imported.report.verifications = proof.verify_all(request.vendor, request.out, days, raw, window, imported)
    clock.lap("verify")
    (request.out / REPORT_FILE).write_text(report.to_markdown(imported.report), encoding="utf-8")
    refused = any(p.status in (files.REFUSED, files.UNREADABLE) for p in planned)
    failed = imported.report.lossy or imported.report.differs or refused
    clock.lap("report")
    return Outcome(imported, 1 if failed else 0, clock.seconds)


# -- reading ---------------------------------------------------------------------------------------------


def check_url(url: str) -> str:
    """An https URL with a host (plain http only to a loopback test server); UsageError otherwise."""
    from opsrepo.vendors import loopback

    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"--api-url {url!r} is not an http(s) URL", "write e.g. https://api.pagerduty.com")
    if parts.scheme == "http" and not loopback(url):
        raise UsageError(
            f"--api-url {url!r} is not https",
            "the key must not travel unencrypted; plain http "
            "is accepted only for a test server on this machine (127.0.0.1)",
        )
    return url.rstrip("/")


def _read(request: ImportRequest) -> tuple[dict[str, Any], tuple[datetime, datetime] | None]:
    """The account's raw JSON, and the window its renderings cover (None: no renderings)."""
    end = request.now + timedelta(days=request.verify_days)
    try:
        if request.vendor == "pagerduty":
            return _read_pagerduty(request, end)
        if request.source_dir is not None:
            return _backup(request.source_dir), None
        raw = _opsgenie_api().fetch(
            request.api_url or "", request.token or "", request.now, request.verify_days
        )
        return raw, (request.now, end) if request.verify_days else None
    except VendorError as exc:
        if exc.usage:
            raise UsageError(str(exc), exc.hint) from None
        from opsrepo.errors import OpsrepoError

        raise OpsrepoError(str(exc), exc.hint) from None


def _read_pagerduty(
    request: ImportRequest, end: datetime
) -> tuple[dict[str, Any], tuple[datetime, datetime] | None]:
    from opsrepo.vendors import pagerduty as api
    from opsrepo.vendors import pd_folder

    if request.source_dir is not None:
        raw = pd_folder.read(request.source_dir)
        since, until = pd_folder.saved_window(raw)
        if since is None or until is None:
            return raw, None
        return raw, (max(since, request.now), min(until, end))
    raw = api.fetch(
        request.api_url or api.DEFAULT_URL,
        request.token or "",
        request.now,
        max(end, request.now + timedelta(days=1)),
    )
    if request.save_dir is not None:
        pd_folder.save(request.save_dir, raw)
    return raw, (request.now, end) if request.verify_days else None


def _backup(folder: Path) -> dict[str, Any]:
    return _opsgenie_api().read_backup(folder)


def _opsgenie_api() -> Any:
    from opsrepo.vendors import opsgenie as api

    return api


def _existing(out: Path) -> Existing:
    """People (by email) and zone of the repo the import merges into (nothing when it is new)."""
    by_email: dict[str, str] = {}
    by_name: dict[str, str] = {}
    ids: set[str] = set()
    for path in sorted((out / "teams").glob("*.yaml")) if (out / "teams").is_dir() else []:
        for person in _load(path).get("people") or []:
            if isinstance(person, dict) and isinstance(person.get("id"), str):
                ids.add(person["id"])
                if isinstance(person.get("email"), str):
                    by_email[person["email"].lower()] = person["id"]
                elif isinstance(person.get("name"), str):
                    by_name[person["name"]] = person["id"]
    zone = _load(out / "opsrepo.yaml").get("timezone")
    return Existing(by_email, frozenset(ids), zone if isinstance(zone, str) else None, by_name)


def _load(path: Path) -> dict[str, Any]:
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


# -- writing ---------------------------------------------------------------------------------------------


def _write(request: ImportRequest, documents: dict[str, dict[str, Any]]) -> list[files.Planned]:
    from opsrepo import schemas

    existing = {path: _text(request.out / path) for path in documents}
    planned = files.plan(documents, existing, request.force)
    try:
        for item in planned:
            if item.text is not None:
                target = request.out / item.path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(item.text, encoding="utf-8")
        if not (request.out / "schemas").is_dir():
            schemas.export(request.out / "schemas")
    except OSError as exc:
        raise UsageError(f"cannot write to {request.out}: {exc.strerror or exc}", "check --out") from None
    return planned


def _text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError):
        return ""
