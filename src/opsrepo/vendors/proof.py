"""The proof of an import: opsrepo's final schedules, read back from the written files, against the vendor's.

The vendor's side is its own rendering (PagerDuty's ``final_schedule``, saved
or fetched; Opsgenie's ``finalTimeline``), mapped to the imported people; the
comparison itself is pure (:mod:`opsrepo.importers.verify`).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from opsrepo.importers import verify
from opsrepo.importers.result import Imported, Verification


def verify_all(
    vendor: str,
    out: Path,
    days: int,
    raw: dict[str, Any],
    window: tuple[datetime, datetime] | None,
    imported: Imported,
) -> list[Verification]:
    """Each vendor schedule's result: opsrepo's final schedules written to ``out`` against its rendering."""
    if days <= 0 or not imported.groups:
        return []
    theirs = _renderings(vendor, raw)
    if window is None or window[0] >= window[1]:
        why = (
            "the vendor's rendering is not at hand (a backup holds none)"
            if window is None
            else "the saved rendering does not reach past the import's now"
        )
        return [
            Verification(vid, _name(imported, vid), ids, None, None, "unverified", why_unverified=why)
            for vid, ids in imported.groups.items()
        ]
    from opsrepo.load.repo import load_repo

    loaded = load_repo(out, kinds={"team", "schedule"})
    return [
        _one(loaded.repo, imported, vid, ids, theirs.get(vid), window) for vid, ids in imported.groups.items()
    ]


def _renderings(vendor: str, raw: dict[str, Any]) -> dict[str, list[verify.Entry]]:
    if vendor == "pagerduty":
        from opsrepo.vendors import pd_folder

        return pd_folder.renderings(raw)[2]
    from opsrepo.vendors import opsgenie

    return opsgenie.renderings(raw)


def _name(imported: Imported, vendor_id: str) -> str:
    return next(
        (i.name for i in imported.report.items if i.vendor_id == vendor_id and i.kind == "schedule"),
        vendor_id,
    )


def _one(
    repo: Any,
    imported: Imported,
    vendor_id: str,
    ids: tuple[str, ...],
    theirs: list[verify.Entry] | None,
    window: tuple[datetime, datetime],
) -> Verification:
    from opsrepo import oncall

    name = _name(imported, vendor_id)
    if theirs is None:
        return Verification(
            vendor_id,
            name,
            ids,
            *window,
            "unverified",
            why_unverified="the vendor sent no rendering of this schedule",
        )
    missing = [s for s in ids if s not in repo.schedules]
    if missing:
        return Verification(
            vendor_id,
            name,
            ids,
            *window,
            "unverified",
            why_unverified=f"{', '.join(missing)} did not load (run opsrepo validate)",
        )
    ours = [(s.start, s.end, s.person) for sid in ids for s in oncall.final_shifts(repo, sid, *window)]
    mapped = [
        (a, b, imported.people.get(who) or imported.aliases.get(who) or f"{imported.report.vendor}:{who}")
        for a, b, who in theirs
    ]
    item = next((i for i in imported.report.items if i.vendor_id == vendor_id and i.kind == "schedule"), None)
    reasons = tuple(f"{loss.what}: {loss.why}" for loss in item.losses) if item else ()
    differences = verify.compare(ours, mapped, *window, reasons=reasons)
    return Verification(
        vendor_id, name, ids, *window, "differs" if differences else "exact", tuple(differences)
    )
