"""PagerDuty's objects as the REST API v2 lists them, read into records; opsrepo's marker found again."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from opsrepo.apply.pdmodel import Layer, Piece, Restriction
from opsrepo.errors import OpsrepoError
from opsrepo.oncall.clock import to_micros
from opsrepo.timeutil import parse_instant

T = TypeVar("T")
MARKER = re.compile(r"\[opsrepo:(schedule|escalation_policy|service):([a-z0-9][a-z0-9-]*)\]")


class UnreadableAnswer(OpsrepoError):
    """PagerDuty answered with something this version of opsrepo cannot read."""


@dataclass(frozen=True)
class PdUser:
    """A PagerDuty user."""

    id: str
    email: str
    name: str


@dataclass(frozen=True)
class PdSchedule:
    """A schedule: its live layers (users are user ids) and, when asked, its rendered overrides and final."""

    id: str
    name: str
    description: str
    time_zone: str
    layers: tuple[Layer, ...]
    #: ids of the escalation policies that target it
    policies: tuple[str, ...] = ()
    overrides: tuple[Piece, ...] | None = None
    final: tuple[Piece, ...] | None = None


@dataclass(frozen=True)
class PdRule:
    """An escalation rule: ``targets`` are ``("schedule" | "user", id)``."""

    delay_minutes: int
    targets: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class PdPolicy:
    """An escalation policy."""

    id: str
    name: str
    description: str
    num_loops: int
    rules: tuple[PdRule, ...]


@dataclass(frozen=True)
class PdService:
    """A service and its escalation policy's id."""

    id: str
    name: str
    description: str
    policy: str | None


@dataclass(frozen=True)
class PdOverride:
    """An override: ``user`` on call over ``[start, end)`` (microseconds)."""

    id: str
    start: int
    end: int
    user: str


def owner(text: str | None) -> tuple[str, str] | None:
    """``(kind, opsrepo id)`` of the marker in a description, or None."""
    found = MARKER.findall(text or "")
    return found[-1] if found else None


def user(raw: dict[str, Any]) -> PdUser:
    """A user of ``GET /users``."""
    return _read(lambda: PdUser(str(raw["id"]), str(raw.get("email") or ""), str(raw.get("name") or "")))


def schedule(raw: dict[str, Any], now: datetime) -> PdSchedule:
    """A schedule of ``GET /schedules`` (with ``include[]``); layers that ended by ``now`` are left out.

    PagerDuty keeps a layer that was removed or replaced, ended at the moment of the change.
    """

    def read() -> PdSchedule:
        layers = tuple(layer(entry) for entry in raw.get("schedule_layers") or [])
        live = tuple(item for item in layers if item.end is None or item.end > now)
        return PdSchedule(
            str(raw["id"]),
            str(raw.get("name") or ""),
            str(raw.get("description") or ""),
            str(raw.get("time_zone") or "UTC"),
            live,
            tuple(str(p["id"]) for p in raw.get("escalation_policies") or []),
            _rendered(raw.get("overrides_subschedule")),
            _rendered(raw.get("final_schedule")),
        )

    return _read(read)


def layer(raw: dict[str, Any]) -> Layer:
    """A schedule layer as the API gives it."""
    end = raw.get("end")
    return Layer(
        name=str(raw.get("name") or ""),
        start=instant(raw["start"]),
        virtual_start=instant(raw["rotation_virtual_start"]),
        turn_seconds=int(raw["rotation_turn_length_seconds"]),
        users=tuple(str(entry["user"]["id"]) for entry in raw.get("users") or []),
        restrictions=tuple(Restriction.from_api(r) for r in raw.get("restrictions") or []),
        end=instant(end) if end else None,
        id=str(raw["id"]) if raw.get("id") else None,
    )


def policy(raw: dict[str, Any]) -> PdPolicy:
    """An escalation policy of ``GET /escalation_policies``."""

    def read() -> PdPolicy:
        rules = tuple(
            PdRule(
                int(rule["escalation_delay_in_minutes"]),
                tuple((_target_kind(t["type"]), str(t["id"])) for t in rule.get("targets") or []),
            )
            for rule in raw.get("escalation_rules") or []
        )
        return PdPolicy(
            str(raw["id"]),
            str(raw.get("name") or ""),
            str(raw.get("description") or ""),
            int(raw.get("num_loops") or 0),
            rules,
        )

    return _read(read)


def service(raw: dict[str, Any]) -> PdService:
    """A service of ``GET /services``."""

    def read() -> PdService:
        ref = raw.get("escalation_policy") or {}
        return PdService(
            str(raw["id"]),
            str(raw.get("name") or ""),
            str(raw.get("description") or ""),
            str(ref["id"]) if ref.get("id") else None,
        )

    return _read(read)


def override(raw: dict[str, Any]) -> PdOverride:
    """An override of ``GET /schedules/{id}/overrides``."""
    return _read(
        lambda: PdOverride(
            str(raw["id"]),
            to_micros(instant(raw["start"])),
            to_micros(instant(raw["end"])),
            str(raw["user"]["id"]),
        )
    )


def instant(text: Any) -> datetime:
    """An API date-time (offset or ``Z``)."""
    return parse_instant(str(text).replace("Z", "+00:00"))


def _rendered(raw: Any) -> tuple[Piece, ...] | None:
    if not isinstance(raw, dict) or "rendered_schedule_entries" not in raw:
        return None
    return tuple(
        joined(
            (to_micros(instant(e["start"])), to_micros(instant(e["end"])), str(e["user"]["id"]))
            for e in raw.get("rendered_schedule_entries") or []
        )
    )


def joined(pieces: Iterable[Piece]) -> list[Piece]:
    """Sorted pieces with touching pieces of one user as one."""
    out: list[Piece] = []
    for piece in sorted(pieces):
        if out and out[-1][2] == piece[2] and piece[0] <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], piece[1]), piece[2])
        else:
            out.append(piece)
    return out


def _target_kind(kind: Any) -> str:
    text = str(kind).removesuffix("_reference")
    return "user" if text == "user" else text


def _read(make: Callable[[], T]) -> T:
    """``make()``; an answer missing a field or of the wrong type is an :class:`UnreadableAnswer`."""
    try:
        return make()
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise UnreadableAnswer(
            f"PagerDuty answered with an object opsrepo cannot read ({type(exc).__name__}: {exc})",
            "report it with the opsrepo version and the PagerDuty endpoint",
        ) from None
