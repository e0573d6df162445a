"""Write the JSON Schemas shipped in src/opsrepo/schemas/ from one source, and their validators.

Run ``python scripts/make_schemas.py`` after editing; a test checks the files
are current. Keywords stay within what draft-07 editors understand
(``definitions``, no ``$defs``/``prefixItems``/``unevaluated*``) while the
schemas declare draft 2020-12.

Each schema is also compiled ahead of time into Python code
(``fastjsonschema.compile_to_code``), one module per kind in
src/opsrepo/schemas/compiled/: opsrepo imports that code instead of compiling
at run time (2-7 ms a kind, plus fastjsonschema's import, on every command's
start path). Because the schemas use draft-07 keywords only, declaring
draft-07 to the compiler validates exactly what the 2020-12 validator does;
``#/definitions/`` references are inlined first (a function call and an error
path per reference otherwise: a third slower).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "src" / "opsrepo" / "schemas"
COMPILED = "compiled"  # the folder of the generated validators, below OUT
BASE_ID = "https://opsrepo.dev/schemas/"

SLUG = "^[a-z0-9][a-z0-9-]*$"
#: ids name files and pages (``people/<id>.html``, ``calendars/people/<id>.ics``) and issue markers: a file
#: name holds at most 255 bytes, and a GitHub label (``severity:<level>``) at most 50 characters
ID_LENGTH = 100
SEVERITY_ID_LENGTH = 40
LABEL_LENGTH = 50
#: dates and instants lie in these years, and durations are at most about 600 years (digits a unit), so that
#: a date plus or minus a duration (a horizon, a review interval, time off's last day) is still a date
YEAR = "(19[0-9]{2}|2[0-9]{3})"
YEAR_RANGE = "years 1900 to 2999"
DURATION_RANGE = "at most 9999w, 99999d, 999999h, 9999999m or 99999999s"
#: the longest IANA zone name has 32 characters
ZONE_LENGTH = 64
#: text an author writes: names (and reasons) are repeated on many pages and calendar events, titles head
#: pages and issues (GitHub takes 256 characters), words label things; prose is longer but bounded
NAME_LENGTH, TITLE_LENGTH, WORD_LENGTH, TEXT_LENGTH = 200, 256, 100, 20000
#: counts no real repo comes near, which bound the work of one file: PagerDuty takes 20 escalation rules,
#: a rotation of a thousand people is a thousand weeks long
MAX_LAYERS, MAX_MEMBERS, MAX_WINDOWS, MAX_LEVELS, MAX_TARGETS = 50, 1000, 100, 20, 20
MAX_PEOPLE, MAX_SERVICES, MAX_ALERTS, MAX_SEVERITIES = 1000, 500, 200, 20
DEFS: dict[str, Any] = {
    "id": {"type": "string", "pattern": SLUG, "maxLength": ID_LENGTH,
           "x-format": "a lowercase slug such as payments-api"},
    "text": {"type": "string", "minLength": 1, "maxLength": TEXT_LENGTH},
    # a name is shown wherever its object is (every shift of a calendar, every page that lists it)
    "name": {"type": "string", "minLength": 1, "maxLength": NAME_LENGTH},
    "title": {"type": "string", "minLength": 1, "maxLength": TITLE_LENGTH},
    "word": {"type": "string", "minLength": 1, "maxLength": WORD_LENGTH},
    "duration": {
        "type": "string",
        "pattern": "^(?=.)([0-9]{1,4}w)?([0-9]{1,5}d)?([0-9]{1,6}h)?([0-9]{1,7}m)?([0-9]{1,8}s)?$",
        "x-format": "a duration such as 90s, 15m, 12h, 1d, 1w or 1h30m",
        "x-shape": "^([0-9]+[wdhms])+$",
        "x-range": DURATION_RANGE,
    },
    "time_of_day": {
        "type": "string",
        "pattern": "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$",
        "x-format": 'a quoted time of day such as "09:00"',
    },
    "local_datetime": {
        "type": "string",
        "pattern": f"^{YEAR}-[0-9]{{2}}-[0-9]{{2}}T[0-9]{{2}}:[0-9]{{2}}(:[0-9]{{2}})?$",
        "x-format": 'a quoted local date-time such as "2026-01-05T09:00" (no offset)',
        "x-shape": "^[0-9]+-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?$",
        "x-range": YEAR_RANGE,
    },
    "date": {
        "type": "string",
        "pattern": f"^{YEAR}-[0-9]{{2}}-[0-9]{{2}}$",
        "x-format": "a date such as 2026-12-24",
        "x-shape": "^[0-9]+-[0-9]{2}-[0-9]{2}$",
        "x-range": YEAR_RANGE,
    },
    "date_or_local_datetime": {
        "type": "string",
        "pattern": f"^{YEAR}-[0-9]{{2}}-[0-9]{{2}}(T[0-9]{{2}}:[0-9]{{2}}(:[0-9]{{2}})?)?$",
        "x-format": 'a date such as 2026-12-24 or a local date-time such as "2026-12-24T12:00"',
        "x-shape": "^[0-9]+-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?)?$",
        "x-range": YEAR_RANGE,
    },
    "instant": {
        "type": "string",
        "pattern": (
            f"^{YEAR}-[0-9]{{2}}-[0-9]{{2}}[T ][0-9]{{2}}:[0-9]{{2}}(:[0-9]{{2}}(\\.[0-9]+)?)?"
            "(Z|[+-][0-9]{2}:[0-9]{2})$"
        ),
        "x-format": "an instant with its UTC offset such as 2026-03-14T10:02:00Z",
        "x-shape": "^[0-9]+-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}"
                   "(:[0-9]{2}(\\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})$",
        "x-range": YEAR_RANGE,
    },
    "timezone": {
        "type": "string",
        "pattern": "^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$",
        "maxLength": ZONE_LENGTH,
        "x-format": "an IANA timezone such as Europe/Berlin",
    },
    "http_url": {
        "type": "string",
        # a host name (no user, no backslash), an optional port, then non-empty path segments other than
        # . and ..: "https://good.example//evil.example/" would make the path //evil.example/, another host;
        # no "$" in the class (fastjsonschema turns every "$" into \\Z, inside a class too)
        "pattern": "^https?://[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?"
                   "(/(?!\\.\\.?(/|$))[A-Za-z0-9._~%!&'()*+,;=:@-]+)*/?$",
        "maxLength": 2000,
        "x-format": "an absolute http(s) URL such as https://kestrel-eng.github.io/ops/",
    },
    "ids": {"type": "array", "items": {"$ref": "#/definitions/id"}, "uniqueItems": True},
    "day": {"type": "string", "enum": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]},
    "window": {
        "type": "object",
        "additionalProperties": False,
        "required": ["from", "to"],
        "properties": {
            "days": {"type": "array", "items": {"$ref": "#/definitions/day"}, "minItems": 1,
                     "uniqueItems": True},
            "from": {"$ref": "#/definitions/time_of_day"},
            "to": {"$ref": "#/definitions/time_of_day"},
        },
    },
    "slack_channel": {"type": "string", "pattern": "^[CG][A-Z0-9]{2,}$",
                      "x-format": "a Slack channel ID such as C0123ABCD (not its #name)"},
    "severity_id": {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9-]*$", "maxLength": SEVERITY_ID_LENGTH,
                    "x-format": "a severity id such as SEV1 or P2"},
    "prom_duration": {
        "type": "string",
        "pattern": "^(0|(?=.)([0-9]+y)?([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?)$",
        "x-format": "a Prometheus duration such as 30s, 5m or 1h30m",
    },
    "label_map": {
        "type": ["object", "null"],
        "propertyNames": {"type": "string", "pattern": "^[a-zA-Z_][a-zA-Z0-9_]*$",
                          "x-format": "a label name (letters, digits and _, not starting with a digit)"},
        "additionalProperties": {"type": ["string", "number", "boolean"]},
    },
    "runbook_id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)*$",
                   "x-format": "a runbook path under runbooks/ without .md, e.g. payments/high-error-rate"},
}


def obj(required: list[str], properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A closed object: unknown keys are errors."""
    return {"type": "object", "additionalProperties": False, "required": required,
            "properties": properties, **extra}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/definitions/{name}"}


def array(items: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "array", "items": items, **extra}


#: burnout limits: a limit left out takes its documented default, null switches it off
LIMITS = obj([], {
    "max_hours_28d": {"type": ["number", "null"], "minimum": 1},
    "max_turns_28d": {"type": ["integer", "null"], "minimum": 1},
    "min_rest": {"oneOf": [ref("duration"), {"type": "null"}]},
})

#: the largest allowed spread of nights, weekend days and holidays across a schedule's members:
#: left out, one turn's worth (see opsrepo.rules.schedules.load); null switches it off
FAIRNESS = obj([], {
    "nights": {"type": ["number", "null"], "minimum": 0},
    "weekends": {"type": ["number", "null"], "minimum": 0},
    "holidays": {"type": ["number", "null"], "minimum": 0},
})

#: a price for on-call time of one category: per hour on call, per shift with time in it, or both
PAY_RATE = obj([], {
    "per_hour": {"type": "number", "minimum": 0},
    "per_shift": {"type": "number", "minimum": 0},
})

#: the categories on-call hours are split into (opsrepo report pay)
PAY_CATEGORIES = ("weekday", "weekday_night", "weekend", "holiday")

PAY = obj(["currency", "rules"], {
    "currency": {"type": "string", "pattern": "^[A-Z]{3}$",
                 "x-format": "an ISO 4217 currency code such as EUR or USD"},
    "night": obj(["from", "to"], {"from": ref("time_of_day"), "to": ref("time_of_day")}),
    "rules": array(obj(["name", "rates"], {
        "name": ref("text"),
        "schedules": array(ref("id"), minItems=1, uniqueItems=True),
        "overlap": {"type": "string", "enum": ["once", "each"]},
        "rates": obj([], {category: PAY_RATE for category in PAY_CATEGORIES}),
    }), minItems=1),
})

#: who is on call now in these schedules: a Slack user group's members, a channel's topic
SLACK = obj([], {
    "user_groups": array(obj(["handle", "schedules"], {
        "handle": {"type": "string", "pattern": "^[a-z0-9][a-z0-9._-]*$",
                   "x-format": "a Slack user group handle without the @, such as payments-oncall"},
        "schedules": array(ref("id"), minItems=1, uniqueItems=True),
    }), minItems=1),
    "topics": array(obj(["channel", "schedules"], {
        "channel": ref("slack_channel"),
        "schedules": array(ref("id"), minItems=1, uniqueItems=True),
    }), minItems=1),
    "handoffs": obj(["channel"], {"channel": ref("slack_channel")}),
})

ORG = obj(["name", "timezone"], {
    "name": ref("name"),
    "timezone": ref("timezone"),
    "github": obj([], {
        "repo": {"type": "string", "pattern": "^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$",
                 "x-format": "owner/name of a GitHub repository"},
        "base_url": ref("http_url"),
    }),
    "site": obj(["title"], {
        "title": ref("title"),
        "base_url": ref("http_url"),
        "repo_url": ref("http_url"),
        "branch": ref("name"),
    }),
    "validation": obj([], {"horizon": ref("duration")}),
    "oncall": obj([], {
        "limits": LIMITS,
        "fairness": FAIRNESS,
        "notice": ref("duration"),
    }),
    "postmortems": obj([], {"repeat_window": ref("duration")}),
    "runbooks": obj([], {"review_every": ref("duration")}),
    "actions": obj([], {"label": {**DEFS["text"], "maxLength": LABEL_LENGTH},
                        "remind_every": ref("duration")}),
    "apply": obj(["vendor"], {
        "vendor": {"type": "string", "enum": ["pagerduty"]},
        "horizon": ref("duration"),
    }),
    "pay": PAY,
    "slack": SLACK,
    "calendar": obj([], {
        "months": {"type": "integer", "minimum": 1, "maximum": 24},
        "alarms": array(ref("duration"), uniqueItems=True),
    }),
    "alerts": obj([], {
        #: where the Prometheus rule files are: globs relative to the repo root
        "paths": array({"type": "string", "pattern": "^(?![/\\\\])(?!(.*/)?\\.\\.(/|$))[^\\\\]+$",
                        "x-format": "a path pattern inside the repo such as alerts/**/*.yaml"},
                       uniqueItems=True),
        #: values of the severity label that are not level ids -> the level each stands for
        "severity_labels": {"type": "object", "propertyNames": ref("text"),
                            "additionalProperties": ref("severity_id")},
    }),
    #: the notification channels the severity matrix may name: channel -> where it goes
    "channels": {"type": "object", "propertyNames": ref("id"), "additionalProperties": ref("text")},
})

PERSON = obj(["id", "name", "timezone"], {
    "id": ref("id"),
    "name": ref("name"),
    "email": {"type": "string", "pattern": "^[^@\\s]+@[^@\\s]+$", "x-format": "an email address"},
    "github": {"type": "string", "pattern": "^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$",
               "x-format": "a GitHub login"},
    "timezone": ref("timezone"),
    "country": {"type": "string", "pattern": "^[A-Z]{2}$",
                "x-format": 'an ISO 3166 country code such as "DE"'},
    "subdivision": ref("word"),
    "phone": ref("word"),
    "time_off": array(obj(["from", "to"], {
        "from": ref("date_or_local_datetime"),
        "to": ref("date_or_local_datetime"),
        "reason": ref("name"),
    })),
})

ALERT = obj(["id", "runbook"], {
    "id": ref("id"),
    "summary": ref("title"),
    "severity": ref("severity_id"),
    "runbook": ref("runbook_id"),
})

SERVICE = obj(["id", "escalation_policy"], {
    "id": ref("id"),
    "name": ref("name"),
    "description": ref("text"),
    "tier": {"type": "integer", "minimum": 1, "maximum": 4},
    "escalation_policy": ref("id"),
    "severity_policies": {"type": "object", "propertyNames": ref("severity_id"),
                          "additionalProperties": ref("id")},
    "runbooks": array(ref("runbook_id"), uniqueItems=True),
    "alerts": array(ALERT, maxItems=MAX_ALERTS),
    "repo": ref("name"),
})

TEAM = obj(["id", "name"], {
    "id": ref("id"),
    "name": ref("name"),
    "description": ref("text"),
    "chat": ref("name"),
    "people": array(PERSON, maxItems=MAX_PEOPLE),
    "members": {**DEFS["ids"], "maxItems": MAX_MEMBERS},
    "services": array(SERVICE, maxItems=MAX_SERVICES),
})

LAYER = obj(["name", "members", "start", "length"], {
    "name": ref("name"),
    "members": {**DEFS["ids"], "minItems": 1, "maxItems": MAX_MEMBERS, "uniqueItems": False},
    "start": ref("local_datetime"),
    "length": ref("duration"),
    "end": ref("local_datetime"),
    "timezone": ref("timezone"),
    "restrictions": array(ref("window"), minItems=1, maxItems=MAX_WINDOWS),
})

SCHEDULE = obj(["id", "name", "team"], {
    "id": ref("id"),
    "name": ref("name"),
    "team": ref("id"),
    "description": ref("text"),
    "timezone": ref("timezone"),
    "coverage": {"oneOf": [{"type": "string", "enum": ["24x7", "none"]},
                           array(ref("window"), minItems=1, maxItems=MAX_WINDOWS)],
                 "x-format": "24x7, none, or a list of windows {days, from, to}"},
    "time_off": {"type": "string", "enum": ["skip", "flag"]},
    "limits": LIMITS,
    "fairness": FAIRNESS,
    "layers": array(LAYER, minItems=1, maxItems=MAX_LAYERS),
    "derive": obj(["from"], {"from": ref("id"), "offset": {"type": "integer", "minimum": 1}}),
    "overrides": array(obj(["person", "from", "to"], {
        "person": ref("id"),
        "from": ref("local_datetime"),
        "to": ref("local_datetime"),
        "reason": ref("name"),
    })),
})

SEVERITY_LEVEL = obj(["id", "name", "pages", "acknowledge_within", "resolve_within"], {
    "id": ref("severity_id"),
    "name": ref("name"),
    "description": ref("text"),
    "impact": ref("text"),
    "examples": array(ref("name")),
    "pages": {"type": "boolean"},
    "channels": array(ref("word"), uniqueItems=True),
    "acknowledge_within": ref("duration"),
    "resolve_within": ref("duration"),
    "update_every": ref("duration"),
    "roles": array(ref("word"), uniqueItems=True),
    "monitor_after_fix": ref("duration"),
    "postmortem": obj(["required"], {"required": {"type": "boolean"}, "within": ref("duration")}),
})

SEVERITY = obj(["levels"], {
    "id": ref("id"),
    "levels": array(SEVERITY_LEVEL, minItems=1, maxItems=MAX_SEVERITIES),
})

ESCALATION = obj(["id", "levels"], {
    "id": ref("id"),
    "name": ref("name"),
    "description": ref("text"),
    "levels": array(obj(["targets", "escalate_after"], {
        "targets": array({"type": "string", "pattern": "^(schedule|person|team):[a-z0-9][a-z0-9-]*$",
                          "x-format": "a target such as schedule:payments-primary, person:grace or team:sre"},
                         minItems=1, maxItems=MAX_TARGETS, uniqueItems=True),
        "escalate_after": ref("duration"),
        "name": ref("name"),
    }), minItems=1, maxItems=MAX_LEVELS),
    "repeat": {"type": "integer", "minimum": 0, "maximum": 10},
    "when_nobody": {"type": "string", "enum": ["wait", "skip"],
                    "x-format": "wait (a level that reaches nobody waits its escalate_after) or skip "
                                "(the next level is notified at once)"},
})

RUNBOOK = obj(["title"], {
    "title": ref("title"),
    "team": ref("id"),
    "services": ref("ids"),
    "tags": array(ref("word"), uniqueItems=True),
    "review_every": ref("duration"),
    "reviewed": ref("date"),
    "owner": ref("id"),
    #: the Prometheus alerts this runbook answers (names as in the rule files)
    "alerts": array(ref("text"), uniqueItems=True),
})

#: one rule of a Prometheus rule group (Prometheus' rulefmt, as promtool reads it)
PROM_RULE = obj(["expr"], {
    "alert": ref("text"),
    "record": ref("text"),
    "expr": {"type": ["string", "number"]},
    "for": ref("prom_duration"),
    "keep_firing_for": ref("prom_duration"),
    "labels": ref("label_map"),
    "annotations": ref("label_map"),
})

PROM_GROUPS = array(obj(["name"], {
    "name": ref("text"),
    "interval": ref("prom_duration"),
    "query_offset": ref("prom_duration"),
    "limit": {"type": "integer", "minimum": 0},
    "labels": ref("label_map"),
    "partial_response_strategy": ref("text"),
    "rules": array(PROM_RULE),
}))

#: a Prometheus rule file: rule groups
ALERT_RULES = obj(["groups"], {"groups": PROM_GROUPS})

#: a Kubernetes PrometheusRule resource (the Prometheus Operator's): rule groups under spec
PROMETHEUS_RULE = obj(["apiVersion", "kind", "spec"], {
    "apiVersion": {"type": "string", "enum": ["monitoring.coreos.com/v1"]},
    "kind": {"type": "string", "enum": ["PrometheusRule"]},
    "metadata": {"type": "object"},
    "spec": obj(["groups"], {"groups": PROM_GROUPS}),
})

POSTMORTEM = obj(["id", "title", "severity", "services", "status", "timeline"], {
    "id": ref("id"),
    "title": ref("title"),
    "severity": ref("severity_id"),
    "services": {**DEFS["ids"], "minItems": 1},
    "status": {"type": "string", "enum": ["draft", "in-review", "published"]},
    "published": ref("date"),
    "lead": ref("id"),
    "authors": ref("ids"),
    #: who filled each incident role the severity matrix requires: role -> person id
    "roles": {"type": "object", "propertyNames": ref("id"), "additionalProperties": ref("id")},
    "timeline": obj(["started", "resolved"], {
        "started": ref("instant"),
        "detected": ref("instant"),
        "acknowledged": ref("instant"),
        "mitigated": ref("instant"),
        "resolved": ref("instant"),
        "events": array(obj(["at", "text"], {"at": ref("instant"), "text": ref("text")})),
    }),
    "impact": obj(["summary"], {
        "summary": ref("text"),
        "customers_affected": {"type": "integer", "minimum": 0},
        "revenue_lost": ref("text"),
    }),
    "root_cause": obj(["category"], {"category": ref("id"), "summary": ref("text")}),
    "related": ref("ids"),
    "action_items": array(obj(["id", "title", "owner", "due", "priority", "kind"], {
        "id": ref("id"),
        "title": ref("title"),
        "owner": ref("id"),
        "due": ref("date"),
        "priority": {"type": "string", "enum": ["critical", "high", "medium", "low"]},
        "kind": {"type": "string", "enum": ["prevent", "detect", "mitigate", "process"]},
    })),
})

KINDS = {
    "org": ("opsrepo.yaml: organisation settings", ORG),
    "team": ("teams/<id>.yaml: a team, its people and services", TEAM),
    "schedule": ("schedules/<id>.yaml: an on-call schedule", SCHEDULE),
    "severity": ("policies/severity.yaml: the severity matrix", SEVERITY),
    "escalation": ("policies/escalation/<id>.yaml: an escalation policy", ESCALATION),
    "runbook": ("runbooks/**.md front matter", RUNBOOK),
    "postmortem": ("postmortems/<id>.md front matter", POSTMORTEM),
    "alertrules": ("alerts/**.yaml: a Prometheus rule file (rule groups)", ALERT_RULES),
    "prometheusrule": ("alerts/**.yaml: a Kubernetes PrometheusRule resource", PROMETHEUS_RULE),
}


def used_definitions(schema: Any, found: set[str]) -> set[str]:
    if isinstance(schema, dict):
        target = schema.get("$ref", "")
        if target.startswith("#/definitions/"):
            name = target.rsplit("/", 1)[1]
            if name not in found:
                found.add(name)
                used_definitions(DEFS[name], found)
        for value in schema.values():
            used_definitions(value, found)
    elif isinstance(schema, list):
        for value in schema:
            used_definitions(value, found)
    return found


def render(kind: str) -> str:
    title, body = KINDS[kind]
    names = sorted(used_definitions(body, set()))
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{BASE_ID}{kind}.schema.json",
        "title": title,
        **body,
        "definitions": {name: DEFS[name] for name in names},
    }
    return json.dumps(document, indent=2, sort_keys=False) + "\n"


def inlined(node: Any, definitions: dict[str, Any], depth: int = 0) -> Any:
    """``node`` with each ``#/definitions/`` reference replaced by the definition."""
    if depth > 20:
        raise ValueError("schema definitions nest too deeply to inline")
    if isinstance(node, list):
        return [inlined(item, definitions, depth) for item in node]
    if not isinstance(node, dict):
        return node
    reference = node.get("$ref")
    if isinstance(reference, str) and reference.startswith("#/definitions/") and len(node) == 1:
        return inlined(definitions[reference.removeprefix("#/definitions/")], definitions, depth + 1)
    return {key: inlined(value, definitions, depth) if key not in ("enum", "const") else value
            for key, value in node.items()}


#: the generated code's only import of fastjsonschema, replaced so that running it needs no fastjsonschema
FASTJSONSCHEMA_IMPORT = "from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException\n"
OWN_IMPORT = "from opsrepo.schemas.compiled import JsonSchemaValueException, JsonSchemaValuesException\n"


def validator_code(kind: str, schema_json: str) -> str:
    """Python code defining ``validate(data)``, which raises when ``data`` breaks the schema (JSON text)."""
    import fastjsonschema

    document = json.loads(schema_json)
    draft7 = {**inlined(document, document["definitions"]), "$schema": "http://json-schema.org/draft-07/schema#"}
    options: dict[str, Any] = {"use_default": False, "detailed_exceptions": False}
    code = fastjsonschema.compile_to_code(draft7, **options)
    if code.count(FASTJSONSCHEMA_IMPORT) != 1:
        raise SystemExit(f"the code of fastjsonschema {fastjsonschema.VERSION} imports it otherwise: "
                         "update this script")
    name = fastjsonschema.compile(draft7, **options).__name__
    header = (f'"""Validator of {kind}.schema.json, generated by scripts/make_schemas.py with fastjsonschema '
              f'{fastjsonschema.VERSION}: do not edit."""\n\n')
    code = unique_items_shortcut(code.replace(FASTJSONSCHEMA_IMPORT, OWN_IMPORT))
    code = type_checks(required_checks(key_checks(pattern_memo(code))))
    return f"{header}{code}\n\nvalidate = {name}\n"


#: fastjsonschema's uniqueItems check defines this function before each check, and calls it once per item
UNIQUE_ITEMS_FN = ('def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) '
                   'if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) '
                   'else (bool, var) if isinstance(var, bool) else var')
UNIQUE_ITEMS_CHECK = re.compile(r"if (\w+)_len > len\(set\(fn\((\w+)\) for \2 in \1\)\):")


def unique_items_shortcut(code: str) -> str:
    """``code`` with each uniqueItems check calling ``repeats`` (opsrepo.schemas.compiled), the same check
    with a shortcut for lists of text (ids, days): one ``set`` of them, not a Python call per item."""
    lines = code.split("\n")
    kept = [line for line in lines if line.strip() != UNIQUE_ITEMS_FN]
    checks = sum(bool(UNIQUE_ITEMS_CHECK.search(line)) for line in kept)
    if len(lines) - len(kept) != checks or "fn(" in UNIQUE_ITEMS_CHECK.sub("", "\n".join(kept)):
        raise SystemExit("fastjsonschema writes uniqueItems checks otherwise: update this script")
    imports = OWN_IMPORT.rstrip("\n")
    code = UNIQUE_ITEMS_CHECK.sub(r"if repeats(\1):", "\n".join(kept))
    return code.replace(imports, f"{imports}, repeats", 1) if checks else code


#: fastjsonschema's pattern check of a text (the key is the schema's pattern, quoted by ``repr``)
PATTERN_CHECK = re.compile(r"if not REGEX_PATTERNS\[('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")\]"
                           r"\.search\((\w+)\):")
REGEX_PATTERNS_END = "\n}\n\nNoneType = type(None)\n"


def pattern_memo(code: str) -> str:
    """``code`` with each pattern check first asking the texts its pattern matched already (``MATCHED``,
    one set a pattern, shared by every kind whose schema has the pattern: ``matched_texts``; ``matches`` in
    opsrepo.schemas.compiled searches a new text and keeps it if it matches): an org repeats its ids, times
    and zones, ~63,000 checks of ~17,000 texts (a team's person ids again in schedules and policies)."""
    checks = len(PATTERN_CHECK.findall(code))
    if code.count("REGEX_PATTERNS[") != checks or (checks and code.count(REGEX_PATTERNS_END) != 1):
        raise SystemExit("fastjsonschema writes pattern checks otherwise: update this script")
    if not checks:
        return code
    check = r"if \2 not in MATCHED[\1] and not matches(MATCHED[\1], REGEX_PATTERNS[\1], \2):"
    code = PATTERN_CHECK.sub(check, code)
    shared = "\n}\nMATCHED = {key: matched_texts(key) for key in REGEX_PATTERNS}"
    code = code.replace(REGEX_PATTERNS_END, shared + REGEX_PATTERNS_END[2:], 1)
    imports = OWN_IMPORT.rstrip("\n")
    named = f"{imports}, matched_texts, matches"
    return code.replace(imports, named, 1) if imports + ", repeats" not in code else \
        code.replace(imports + ", repeats", f"{named}, repeats", 1)


def _rewritten(lines: list[str], dropped: set[int], constants: list[str]) -> str:
    """``lines`` joined without those ``dropped``, the new ``constants`` put before the NoneType line."""
    if constants:
        at_none = lines.index("NoneType = type(None)")
        lines[at_none] = "\n".join([*constants, lines[at_none]])
    return "\n".join(line for index, line in enumerate(lines) if index not in dropped)


def _each(lines: list[str], pattern: re.Pattern[str]) -> Iterator[tuple[int, re.Match[str]]]:
    """(index, match) of each line ``pattern`` matches whole, read as the caller rewrites later lines."""
    for index, line in enumerate(lines):
        if (found := pattern.fullmatch(line)) is not None:
            yield index, found


#: fastjsonschema's copy of an object's keys, which its property checks empty one by one
KEYS_MADE = re.compile(r"( *)(\w+)_keys = set\(\2\.keys\(\)\)")


def key_checks(code: str) -> str:
    """``code`` with each object of fixed properties checked without its copy of the keys.

    fastjsonschema copies an object's keys into a set, asks it for each
    property and removes the property found, and refuses the object if keys
    remain. Where a copy is used only so, each property is asked of the
    object itself, and at the end its keys are asked to be among the
    properties (``KEYS_n``, a frozenset of the module): no set made, no
    removal per key (-25 M instructions of a realistic 1000-schedule run).
    A copy used otherwise (``additionalProperties`` with a schema, pattern
    properties) is kept as generated.
    """
    lines = code.split("\n")
    dropped: set[int] = set()
    constants: list[str] = []
    for start, made in _each(lines, KEYS_MADE):
        name, keys = made[2], f"{made[2]}_keys"
        used = re.compile(rf"\b{keys}\b")
        asks = re.compile(rf'if ("[^"\\\\]*") in {keys}:')
        at = [index for index, text in enumerate(lines) if index != start and used.search(text)]
        properties: list[str] = []
        asked_at: list[int] = []
        ends: list[int] = []
        for index in at:
            text = lines[index].strip()
            if (asked := asks.fullmatch(text)) and lines[index + 1].strip() == f"{keys}.remove({asked[1]})":
                properties.append(asked[1])
                asked_at.append(index)
            elif text == f"if {keys}:":
                ends.append(index)
            elif not text.startswith(f"{keys}.remove(") and not (
                    text.startswith("raise ") and f"+str({keys})+" in text):
                break
        else:
            removals = sum(lines[index].strip().startswith(f"{keys}.remove(") for index in at)
            if len(ends) == 1 and ends[0] > max(asked_at, default=start) and removals == len(properties) and \
                    len(set(properties)) == len(properties):
                for index in at:
                    text = lines[index]
                    if (asked := asks.fullmatch(text.strip())) is not None:
                        lines[index] = text.replace(f" in {keys}:", f" in {name}:")
                        dropped.add(index + 1)
                known = f"KEYS_{len(constants)}"
                constants.append(f"{known} = frozenset({{{', '.join(properties)}}})")
                lines[ends[0]] = lines[ends[0]].replace(f"if {keys}:", f"if not {name}.keys() <= {known}:")
                for index in at:
                    lines[index] = lines[index].replace(f"+str({keys})+",
                                                        f"+str(set({name}.keys() - {known}))+")
                dropped.add(start)
    return _rewritten(lines, dropped, constants)


#: fastjsonschema's check of an object's required properties: the set of those missing, made every time
REQUIRED_MADE = re.compile(r"( *)(\w+)__missing_keys = set\(\[((?:'[^'\\\\]*'(?:, )?)*)\]\) - \2\.keys\(\)")


def required_checks(code: str) -> str:
    """``code`` with each check of required properties asking whether the object's keys hold them all (a
    frozenset ``REQUIRED_n`` of the module), not making the set of those missing; none required, no check."""
    lines = code.split("\n")
    dropped: set[int] = set()
    constants: list[str] = []
    for start, made in _each(lines, REQUIRED_MADE):
        indent, name, required = made[1], made[2], made[3]
        missing = f"{name}__missing_keys"
        following = lines[start + 2] if start + 2 < len(lines) else ""
        uses = sum(missing in text for text in lines)
        if lines[start + 1] != f"{indent}if {missing}:" or missing in following or uses != 2 or \
                not following.startswith(f"{indent}    raise "):
            raise SystemExit("fastjsonschema checks required properties otherwise: update this script")
        if required:
            known = f"REQUIRED_{len(constants)}"
            constants.append(f"{known} = frozenset({{{required}}})")
            lines[start + 1] = f"{indent}if not {name}.keys() >= {known}:"
        else:
            dropped.update((start + 1, start + 2))
        dropped.add(start)
    return _rewritten(lines, dropped, constants)


#: a type check that raises: the same check, asked again on the next lines, is known to pass
TYPE_REFUSED = re.compile(r"( *)if not isinstance\((\w+), \((str|dict|list, tuple)\)\):")


def type_checks(code: str) -> str:
    """``code`` without the type checks fastjsonschema asks again right after refusing the other types.

    After ``if not isinstance(v, (str)): raise``, the next line's ``if
    isinstance(v, str):`` is ``if True:`` (the compiler drops it), and a
    following ``v_is_dict = isinstance(v, dict)`` is ``v_is_dict = True``.
    """
    lines = code.split("\n")
    for index, line in enumerate(lines[:-3]):
        refused = TYPE_REFUSED.fullmatch(line)
        if refused is None or not lines[index + 1].startswith(f"{refused[1]}    raise "):
            continue
        indent, name, types = refused[1], refused[2], refused[3]
        again = f"({types})" if "," in types else types
        if lines[index + 2] == f"{indent}if isinstance({name}, {again}):":
            lines[index + 2] = f"{indent}if True:  # the type checked above"
        flag = rf"{indent}({name}_is_(?:dict|list)) = isinstance\({name}, {re.escape(again)}\)"
        if made := re.fullmatch(flag, lines[index + 2]):
            lines[index + 2] = f"{indent}{made[1]} = True"
    return "\n".join(lines)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / COMPILED).mkdir(exist_ok=True)
    for kind in KINDS:
        schema_json = render(kind)
        (OUT / f"{kind}.schema.json").write_text(schema_json, encoding="utf-8")
        (OUT / COMPILED / f"{kind}.py").write_text(validator_code(kind, schema_json), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
