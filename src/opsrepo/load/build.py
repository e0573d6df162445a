"""Validated documents -> the typed :class:`~opsrepo.model.Repo`.

Values the schemas cannot judge (real IANA zones, real calendar dates) are
checked here; a document with such a value is left out of the model like a
schema failure, and its id is recorded as broken so references to it are not
reported twice.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from opsrepo import model as m
from opsrepo.errors import Diagnostic
from opsrepo.load import alertfiles
from opsrepo.load.files import Document
from opsrepo.timeutil import closest_zone, get_zone, parse_duration, parse_instant, parse_time_of_day


class _Invalid(Exception):
    """A value the schemas cannot judge is wrong: its diagnostic, and its path in the document."""

    def __init__(self, diagnostic: Diagnostic, path: tuple[str | int, ...] = ()) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic
        self.path = path


class _Reader:
    """Reads typed values from one document, raising ``_Invalid`` with a position."""

    def __init__(self, document: Document) -> None:
        self.document = document

    def src(self, *path: str | int) -> m.Src:
        return _record(m.Src, document=self.document, path=path)

    def zone(self, value: str, *path: str | int) -> str:
        if value in _ZONES:
            return value
        try:
            get_zone(value)
            _remember(_ZONES, value, value)
        except ValueError:
            close = closest_zone(value)
            raise _Invalid(self.document.location(*path).error(
                "OPS211", f"'{value}' is not an IANA timezone",
                f"did you mean '{close}'?" if close else
                "use a name from the tz database, e.g. Europe/Berlin or America/New_York",
            ), path) from None
        return value

    def date(self, value: str, *path: str | int) -> date:
        found = _DATES.get(value)
        return found if found is not None else _remember(
            _DATES, value, self._parse(date.fromisoformat, value, "date", path))

    def local(self, value: str, *path: str | int) -> datetime:
        found = _LOCALS.get(value)
        return found if found is not None else _remember(
            _LOCALS, value, self._parse(datetime.fromisoformat, value, "date-time", path))

    def instant(self, value: str, *path: str | int) -> datetime:
        return self._parse(parse_instant, value.replace(" ", "T"), "instant", path)

    def _parse(self, parse: Callable[[str], Any], value: str, what: str, path: tuple[Any, ...]) -> Any:
        try:
            return parse(value)
        except ValueError:
            raise _Invalid(self.document.location(*path).error(
                "OPS212", f"'{value}' is not a real {what}", "check the day of the month and the hour",
            ), path) from None


#: Values read from the same text are the same: ops repos repeat their zones, dates, times of day,
#: durations and windows thousands of times, so each distinct text is read once (each table is bounded).
#: Only values read without a problem are kept; every record still gets its own ``Src``.
_ZONES: dict[str, str] = {}
_DATES: dict[str, date] = {}
_LOCALS: dict[str, datetime] = {}
_DURATIONS: dict[str, timedelta] = {}
_WINDOWS: dict[tuple[Any, ...], m.Window] = {}
_DAY_BOUNDS: dict[tuple[str, bool], datetime] = {}
_KEPT = 50_000

K = TypeVar("K")
V = TypeVar("V")
R = TypeVar("R")
_new = object.__new__


def _record(cls: type[R], /, **fields: Any) -> R:
    """The frozen record ``cls(**fields)``, given every field in declaration order, made without ``__init__``.

    A frozen dataclass's ``__init__`` sets each field by ``object.__setattr__``
    (a third of a million calls for a thousand realistic schedules); the
    record made here has the same instance dictionary, so it is equal, hashes
    alike and reads alike (tests/unit/load/test_records.py checks every record
    of the case corpus and the example repo against its constructor's).
    """
    made = _new(cls)
    made.__dict__.update(fields)
    return made


def _remember(table: dict[K, V], key: K, value: V) -> V:
    if len(table) < _KEPT:
        table[key] = value
    return value


def _duration(text: str) -> timedelta:
    """:func:`parse_duration` of a schema-checked text, read once per distinct text."""
    found = _DURATIONS.get(text)
    return found if found is not None else _remember(_DURATIONS, text, parse_duration(text))


def duration(value: str | None, default: timedelta | None = None) -> timedelta | None:
    """A schema-checked duration text, or ``default``."""
    return _duration(value) if value is not None else default


def window(raw: dict[str, Any]) -> m.Window:
    """A schema-checked ``{days, from, to}`` mapping."""
    days_given = raw.get("days", m.WEEKDAYS)
    key = (tuple(days_given), raw["from"], raw["to"])
    found = _WINDOWS.get(key)
    if found is not None:
        return found
    days = frozenset(m.WEEKDAYS.index(d) for d in days_given)
    made = m.Window(days, parse_time_of_day(raw["from"]), parse_time_of_day(raw["to"]))
    return _remember(_WINDOWS, key, made)


def limits(raw: dict[str, Any] | None, base: m.Limits) -> m.Limits:
    """``raw`` limits over ``base`` (the schema's keys are the record's fields)."""
    if not raw:
        return base
    given = dict(raw)
    if given.get("min_rest") is not None:
        given["min_rest"] = _duration(given["min_rest"])
    return replace(base, **given)


def fairness(raw: dict[str, Any] | None, base: m.Fairness) -> m.Fairness:
    """``raw`` fairness bounds over ``base`` (the schema's keys are the record's fields; null: unchecked)."""
    if not raw:
        return base
    return replace(base, **{key: math.inf if value is None else value for key, value in raw.items()})


def build_org(document: Document | None) -> m.Org:
    """The org settings (defaults when the file is missing or broken)."""
    if document is None:
        return m.Org(name="ops", timezone="UTC", src=m.Src(None))
    raw = document.data
    reader = _Reader(document)
    github, site = raw.get("github", {}), raw.get("site", {})
    oncall = raw.get("oncall", {})
    defaults = m.Org(name="", timezone="UTC", src=reader.src())
    return m.Org(
        name=raw["name"],
        timezone=reader.zone(raw["timezone"], "timezone"),
        src=reader.src(),
        github_repo=github.get("repo"),
        github_base_url=github.get("base_url"),
        site_title=site.get("title", raw["name"]),
        site_base_url=site.get("base_url"),
        repo_url=site.get("repo_url"),
        branch=site.get("branch", "main"),
        horizon=duration(raw.get("validation", {}).get("horizon"), defaults.horizon) or defaults.horizon,
        limits=limits(oncall.get("limits"), m.Limits()),
        fairness=fairness(oncall.get("fairness"), m.Fairness()),
        notice=duration(oncall.get("notice"), defaults.notice) or defaults.notice,
        repeat_window=duration(raw.get("postmortems", {}).get("repeat_window"), defaults.repeat_window)
        or defaults.repeat_window,
        review_every=duration(raw.get("runbooks", {}).get("review_every"), defaults.review_every)
        or defaults.review_every,
        actions_label=raw.get("actions", {}).get("label", defaults.actions_label),
        remind_every=duration(raw.get("actions", {}).get("remind_every"), defaults.remind_every)
        or defaults.remind_every,
        apply_vendor=raw.get("apply", {}).get("vendor"),
        apply_horizon=duration(raw.get("apply", {}).get("horizon"), defaults.apply_horizon)
        or defaults.apply_horizon,
        pay=_pay(reader, raw["pay"]) if "pay" in raw else None,
        slack=_slack(reader, raw.get("slack", {})),
        calendar_months=raw.get("calendar", {}).get("months", defaults.calendar_months),
        calendar_alarms=tuple(_duration(a) for a in raw["calendar"]["alarms"])
        if "alarms" in raw.get("calendar", {}) else defaults.calendar_alarms,
        channels=dict(raw["channels"]) if "channels" in raw else None,
        **_alert_settings(raw),
    )


def _slack(reader: _Reader, raw: dict[str, Any]) -> m.SlackConfig:
    def targets(key: str, name: str) -> tuple[m.SlackTarget, ...]:
        return tuple(m.SlackTarget(entry[name], tuple(entry["schedules"]), reader.src("slack", key, i))
                     for i, entry in enumerate(raw.get(key, [])))

    return m.SlackConfig(targets("user_groups", "handle"), targets("topics", "channel"),
                         raw.get("handoffs", {}).get("channel"))


def _pay(reader: _Reader, raw: dict[str, Any]) -> m.PayConfig:
    """``pay:``; YAML numbers become decimals through their text, so ``2.1`` stays 2.1."""
    rules = tuple(
        m.PayRule(
            name=rule["name"], index=i, src=reader.src("pay", "rules", i),
            rates={category: m.PayRate(_money(rate.get("per_hour", 0)), _money(rate.get("per_shift", 0)))
                   for category, rate in rule["rates"].items()},
            schedules=tuple(rule["schedules"]) if "schedules" in rule else None,
            overlap=rule.get("overlap", "once"),
        )
        for i, rule in enumerate(raw["rules"])
    )
    night = window(raw["night"]) if "night" in raw else m.NIGHT_WINDOW
    return m.PayConfig(raw["currency"], rules, reader.src("pay"), night)


def _money(value: float) -> Decimal:
    return Decimal(str(value))


def _alert_settings(raw: dict[str, Any]) -> dict[str, Any]:
    paths, given = alertfiles.configured_paths(raw)
    return {"alert_paths": paths, "alert_paths_set": given,
            "severity_labels": dict(raw.get("alerts", {}).get("severity_labels", {}))}


def build_team(document: Document) -> tuple[m.Team, list[m.Person], list[m.Service]]:
    """A team, the people it defines and the services it owns."""
    raw, reader = document.data, _Reader(document)
    people = [_person(reader, raw["id"], p, i) for i, p in enumerate(raw.get("people", []))]
    services = [_service(reader, raw["id"], s, i) for i, s in enumerate(raw.get("services", []))]
    team = _record(
        m.Team, id=raw["id"], name=raw["name"], src=reader.src(), description=raw.get("description"),
        chat=raw.get("chat"), people=tuple(p.id for p in people),
        members=tuple(raw.get("members", [p.id for p in people])),
        services=tuple(s.id for s in services),
    )
    return team, people, services


def _person(reader: _Reader, team: str, raw: dict[str, Any], index: int) -> m.Person:
    where = ("people", index)
    zone = reader.zone(raw["timezone"], *where, "timezone")
    time_off = tuple(
        _time_off(reader, entry, (*where, "time_off", j)) for j, entry in enumerate(raw.get("time_off", []))
    )
    return _record(
        m.Person, id=raw["id"], name=raw["name"], timezone=zone, team=team, src=reader.src(*where),
        email=raw.get("email"), github=raw.get("github"), country=raw.get("country"),
        subdivision=raw.get("subdivision"), phone=raw.get("phone"), time_off=time_off,
    )


def _time_off(reader: _Reader, raw: dict[str, Any], where: tuple[Any, ...]) -> m.TimeOff:
    start = _DAY_BOUNDS.get((raw["from"], False)) or \
        _day_or_local(reader, raw["from"], (*where, "from"), end=False)
    end = _DAY_BOUNDS.get((raw["to"], True)) or _day_or_local(reader, raw["to"], (*where, "to"), end=True)
    return _record(m.TimeOff, start=start, end=end, reason=raw.get("reason"),
                   src=_record(m.Src, document=reader.document, path=where))


def _day_or_local(reader: _Reader, value: str, where: tuple[Any, ...], *, end: bool) -> datetime:
    return _remember(_DAY_BOUNDS, (value, end), _read_day_or_local(reader, value, where, end=end))


def _read_day_or_local(reader: _Reader, value: str, where: tuple[Any, ...], *, end: bool) -> datetime:
    if "T" in value:
        return reader.local(value, *where)
    day = reader.date(value, *where)
    moment = datetime.combine(day, time(0))
    return moment + timedelta(days=1) if end else moment  # dates are inclusive whole days


def _service(reader: _Reader, team: str, raw: dict[str, Any], index: int) -> m.Service:
    where = ("services", index)
    alerts = tuple(
        m.Alert(id=a["id"], service=raw["id"], runbook=a["runbook"], src=reader.src(*where, "alerts", j),
                summary=a.get("summary"), severity=a.get("severity"))
        for j, a in enumerate(raw.get("alerts", []))
    )
    return _record(
        m.Service, id=raw["id"], team=team, escalation_policy=raw["escalation_policy"],
        src=reader.src(*where),
        name=raw.get("name"), description=raw.get("description"), tier=raw.get("tier"),
        severity_policies=dict(raw.get("severity_policies", {})), runbooks=tuple(raw.get("runbooks", [])),
        alerts=alerts, repo=raw.get("repo"),
    )


def build_schedule(document: Document, org: m.Org) -> m.Schedule:
    """A schedule with its layers and overrides."""
    raw, reader = document.data, _Reader(document)
    zone = reader.zone(raw.get("timezone", org.timezone), "timezone")
    coverage_raw = raw.get("coverage", "24x7")
    coverage: tuple[m.Window, ...] | None
    if coverage_raw == "24x7":
        coverage = (m.Window(m.ALL_DAYS, time(0), time(0)),)
    elif coverage_raw == "none":
        coverage = None
    else:
        coverage = tuple(window(w) for w in coverage_raw)
    derive = raw.get("derive")
    return _record(
        m.Schedule, id=raw["id"], name=raw["name"], team=raw["team"], timezone=zone, src=reader.src(),
        description=raw.get("description"), coverage=coverage, coverage_24x7=coverage_raw == "24x7",
        time_off=raw.get("time_off", "skip"), limits=limits(raw.get("limits"), org.limits),
        fairness=fairness(raw.get("fairness"), org.fairness),
        layers=tuple(_layer(reader, zone, layer, i) for i, layer in enumerate(raw.get("layers", []))),
        overrides=tuple(_override(reader, o, i) for i, o in enumerate(raw.get("overrides", []))),
        derive=_record(m.Derive, source=derive["from"], offset=derive.get("offset", 1)) if derive else None,
    )


def _layer(reader: _Reader, default_zone: str, raw: dict[str, Any], index: int) -> m.Layer:
    where = ("layers", index)
    return _record(
        m.Layer, name=raw["name"], index=index, members=tuple(raw["members"]),
        start=reader.local(raw["start"], *where, "start"),
        length=_duration(raw["length"]),
        timezone=reader.zone(raw.get("timezone", default_zone), *where, "timezone"),
        src=reader.src(*where),
        end=reader.local(raw["end"], *where, "end") if "end" in raw else None,
        restrictions=tuple(window(w) for w in raw.get("restrictions", [])),
    )


def _override(reader: _Reader, raw: dict[str, Any], index: int) -> m.Override:
    where = ("overrides", index)
    return _record(
        m.Override, person=raw["person"], index=index, start=reader.local(raw["from"], *where, "from"),
        end=reader.local(raw["to"], *where, "to"), src=reader.src(*where), reason=raw.get("reason"),
    )


def build_severities(document: Document) -> tuple[m.SeverityLevel, ...]:
    """The severity matrix, most urgent first."""
    reader = _Reader(document)
    levels = []
    for rank, raw in enumerate(document.data["levels"]):
        postmortem = raw.get("postmortem", {"required": False})
        levels.append(m.SeverityLevel(
            id=raw["id"], name=raw["name"], rank=rank, pages=raw["pages"],
            acknowledge_within=_duration(raw["acknowledge_within"]),
            resolve_within=_duration(raw["resolve_within"]), src=reader.src("levels", rank),
            description=raw.get("description"), impact=raw.get("impact"),
            examples=tuple(raw.get("examples", [])), channels=tuple(raw.get("channels", [])),
            update_every=duration(raw.get("update_every")), roles=tuple(raw.get("roles", [])),
            monitor_after_fix=duration(raw.get("monitor_after_fix")),
            postmortem=m.PostmortemRule(postmortem["required"], duration(postmortem.get("within"))),
        ))
    return tuple(levels)


def _target(text: str) -> m.Target:
    """A schema-checked ``kind:id`` target."""
    kind, ident = text.split(":", 1)
    return _record(m.Target, kind=kind, id=ident)


def build_policy(document: Document) -> m.EscalationPolicy:
    """An escalation policy."""
    raw, reader = document.data, _Reader(document)
    levels = tuple(
        _record(
            m.EscalationLevel, index=i,
            targets=tuple(_target(t) for t in level["targets"]),
            escalate_after=_duration(level["escalate_after"]),
            src=reader.src("levels", i), name=level.get("name"),
        )
        for i, level in enumerate(raw["levels"])
    )
    return _record(m.EscalationPolicy, id=raw["id"], levels=levels, src=reader.src(), name=raw.get("name"),
                   description=raw.get("description"), repeat=raw.get("repeat", 0),
                   when_nobody=raw.get("when_nobody", m.WHEN_NOBODY_DEFAULT))


def runbook_id(path: str) -> str:
    """``runbooks/payments/high-error-rate.md`` -> ``payments/high-error-rate``."""
    return path.removeprefix("runbooks/").removesuffix(".md")


def build_runbook(document: Document) -> m.Runbook:
    """A runbook."""
    raw, reader = document.data, _Reader(document)
    return m.Runbook(
        id=runbook_id(document.path), title=raw["title"], path=document.path, body=document.body,
        body_line=document.body_line, src=reader.src(), team=raw.get("team"),
        services=tuple(raw.get("services", [])), tags=tuple(raw.get("tags", [])),
        review_every=duration(raw.get("review_every")),
        reviewed=reader.date(raw["reviewed"], "reviewed") if "reviewed" in raw else None,
        owner=raw.get("owner"), alerts=tuple(raw.get("alerts", [])),
    )


def build_alert_rules(document: Document) -> tuple[m.AlertRule, ...]:
    """The rules of one document of a Prometheus rule file (plain groups or a PrometheusRule)."""
    reader = _Reader(document)
    where = alertfiles.groups_path(document.kind)
    groups: Any = document.data
    for key in where:
        groups = groups[key]
    return tuple(
        m.AlertRule(
            group=group["name"], src=reader.src(*where, i, "rules", j), alert=rule.get("alert"),
            record=rule.get("record"), labels=_label_texts(rule.get("labels")),
            annotations=_label_texts(rule.get("annotations")), for_=rule.get("for"),
            expr=_text(rule.get("expr")),
        )
        for i, group in enumerate(groups) for j, rule in enumerate(group.get("rules", []))
    )


def _text(value: Any) -> str | None:
    """A PromQL expression as written (YAML may read ``1`` or ``vector(1)`` as another type)."""
    return None if value is None else value if isinstance(value, str) else str(value)


def _label_texts(raw: dict[str, Any] | None) -> dict[str, str]:
    """Label or annotation values as Prometheus reads them: text (a number or boolean as written)."""
    return {key: str(value).lower() if isinstance(value, bool) else str(value)
            for key, value in (raw or {}).items()}


def build_postmortem(document: Document) -> m.Postmortem:
    """A post-mortem with its timeline and action items."""
    raw, reader = document.data, _Reader(document)
    line = raw["timeline"]
    instants = {
        name: reader.instant(line[name], "timeline", name) for name in m.Timeline.MILESTONES if name in line
    }
    events = tuple(
        m.TimelineEvent(reader.instant(e["at"], "timeline", "events", i, "at"), e["text"])
        for i, e in enumerate(line.get("events", []))
    )
    items = tuple(
        m.ActionItem(
            id=item["id"], postmortem=raw["id"], title=item["title"], owner=item["owner"],
            due=reader.date(item["due"], "action_items", i, "due"), priority=item["priority"],
            kind=item["kind"], src=reader.src("action_items", i),
        )
        for i, item in enumerate(raw.get("action_items", []))
    )
    impact, cause = raw.get("impact", {}), raw.get("root_cause", {})
    return m.Postmortem(
        id=raw["id"], title=raw["title"], severity=raw["severity"], services=tuple(raw["services"]),
        status=raw["status"], timeline=m.Timeline(events=events, **instants), path=document.path,
        body=document.body, body_line=document.body_line, src=reader.src(),
        published=reader.date(raw["published"], "published") if "published" in raw else None,
        lead=raw.get("lead"), authors=tuple(raw.get("authors", [])), impact=impact.get("summary"),
        customers_affected=impact.get("customers_affected"), root_cause_category=cause.get("category"),
        root_cause_summary=cause.get("summary"), related=tuple(raw.get("related", [])),
        action_items=items, roles=dict(raw.get("roles", {})),
    )
