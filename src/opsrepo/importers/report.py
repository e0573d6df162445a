"""The import report: ``import-report.md`` and the ``--format json`` document, from one :class:`Report`."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from opsrepo.importers.result import Difference, Item, Report, Verification

_PLURAL = {
    "user": "users",
    "team": "teams",
    "schedule": "schedules",
    "escalation policy": "escalation policies", "override": "overrides",
    "service": "services",
}


def status(report: Report) -> str:
    """``exact``, ``lossy``, ``differs`` or ``lossy, differs``."""
    words = [w for w, on in (("lossy", report.lossy), ("differs", report.differs)) if on]
    return ", ".join(words) or "exact"


def _instant(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def to_json(report: Report) -> str:
    """The report as one JSON document."""
    document: dict[str, Any] = {
        "vendor": report.vendor,
        "status": status(report),
        "lossy": report.lossy,
        "differs": report.differs,
        "objects": [_item(item) for item in report.items],
        "verification": [_verification(v) for v in report.verifications],
        "files": report.files,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _item(item: Item) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "vendor_id": item.vendor_id,
        "name": item.name,
        "became": item.became,
        "not_carried_over": [{"what": loss.what, "why": loss.why} for loss in item.losses],
        "notes": item.notes,
        "ignored": item.ignored,
    }


def _verification(found: Verification) -> dict[str, Any]:
    return {
        "vendor_id": found.vendor_id,
        "name": found.name,
        "schedules": list(found.schedules),
        "from": _instant(found.start),
        "to": _instant(found.end),
        "status": found.status,
        "why_unverified": found.why_unverified,
        "differences": [_difference(d) for d in found.differences],
    }


def _difference(found: Difference) -> dict[str, Any]:
    return {
        "from": _instant(found.start),
        "to": _instant(found.end),
        "opsrepo": list(found.ours),
        "vendor": list(found.theirs),
        "reasons": list(found.reasons),
    }


def to_markdown(report: Report) -> str:
    """``import-report.md``."""
    counts = Counter(item.kind for item in report.items)
    lossy = sum(1 for item in report.items if item.losses)
    summary = ", ".join(f"{n} {_PLURAL.get(kind, kind) if n != 1 else kind}" for kind, n in counts.items())
    lines = [
        f"# Import report: {report.vendor}",
        "",
        f"Result: **{status(report)}**. {len(report.items)} source objects ({summary or 'none'}); "
        f"{lossy} not carried over exactly.",
        "",
        "GitHub logins are not known to the vendor: add `github` to each person by hand.",
        "",
    ]
    lines += _verification_lines(report)
    for kind in dict.fromkeys(item.kind for item in report.items):
        lines += [f"## {_PLURAL.get(kind, kind).capitalize()}", ""]
        for item in (i for i in report.items if i.kind == kind):
            lines += _item_lines(item)
        lines.append("")
    if report.files:
        lines += ["## Files", ""]
        lines += [f"- `{path}`: {what}" for path, what in report.files.items()]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _item_lines(item: Item) -> list[str]:
    became = ", ".join(f"`{b}`" for b in item.became) or "nothing"
    lines = [f"- **{_escape(item.name)}** (`{item.vendor_id}`) → {became}"]
    lines += [f"  - not carried over: {_escape(loss.what)}: {_escape(loss.why)}" for loss in item.losses]
    lines += [f"  - note: {_escape(note)}" for note in item.notes]
    lines += [f"  - ignored: {_escape(text)}" for text in item.ignored]
    return lines


def _verification_lines(report: Report) -> list[str]:
    if not report.verifications:
        return ["## Verification", "", "Not run (`--verify-days 0`, or nothing to verify).", ""]
    lines = [
        "## Verification",
        "",
        "| vendor schedule | opsrepo | window | result |",
        "| --- | --- | --- | --- |",
    ]
    for found in report.verifications:
        window = f"{_instant(found.start)} – {_instant(found.end)}" if found.start else "—"
        result = {"exact": "exact", "differs": f"**{len(found.differences)} difference(s)**"}.get(
            found.status, f"not verified: {found.why_unverified}"
        )
        lines.append(
            f"| {_escape(found.name)} (`{found.vendor_id}`) | "
            f"{', '.join(f'`{s}`' for s in found.schedules) or '—'} | {window} | {result} |"
        )
    lines.append("")
    for found in (v for v in report.verifications if v.differences):
        lines += [f"### {_escape(found.name)}", ""]
        for diff in found.differences:
            lines.append(
                f"- {_instant(diff.start)} – {_instant(diff.end)}: opsrepo "
                f"{', '.join(diff.ours) or 'nobody'}; {report.vendor} {', '.join(diff.theirs) or 'nobody'}"
            )
        if found.differences[0].reasons:
            lines.append("  - explained by: " + "; ".join(_escape(r) for r in found.differences[0].reasons))
        lines.append("")
    return lines


def _escape(text: str) -> str:
    """Markdown-safe text: no table pipes, no HTML, one line."""
    return " ".join(text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;").split())
