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
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "src" / "opsrepo" / "schemas"
COMPILED = "compiled"  # the folder of the generated validators, below OUT
BASE_ID = "https://opsrepo.dev/schemas/"

SLUG = "^[a-z0-9][a-z0-9-]*$"
DEFS: dict[str, Any] = {
    "id": {"type": "string", "pattern": SLUG, "x-format": "a lowercase slug such as payments-api"},
    "text": {"type": "string", "minLength": 1},
    "duration": {
        "type": "string",
        "pattern": "^(?=.)([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?$",
        "x-format": "a duration such as 90s, 15m, 12h, 1d, 1w or 1h30m",
    },
    "time_of_day": {
        "type": "string",
        "pattern": "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$",
        "x-format": 'a quoted time of day such as "09:00"',
    },
    "local_datetime": {
        "type": "string",
        "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?$",
        "x-format": 'a quoted local date-time such as "2026-01-05T09:00" (no offset)',
    },
    "date": {
        "type": "string",
        "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        "x-format": "a date such as 2026-12-24",
    },
    "date_or_local_datetime": {
        "type": "string",
        "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?)?$",
        "x-format": 'a date such as 2026-12-24 or a local date-time such as "2026-12-24T12:00"',
    },
    "instant": {
        "type": "string",
        "pattern": (
            "^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?"
            "(Z|[+-][0-9]{2}:[0-9]{2})$"
        ),
        "x-format": "an instant with its UTC offset such as 2026-03-14T10:02:00Z",
    },
    "timezone": {
        "type": "string",
        "pattern": "^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$",
        "x-format": "an IANA timezone such as Europe/Berlin",
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
    "severity_id": {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9-]*$",
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
    "name": ref("text"),
    "timezone": ref("timezone"),
    "github": obj([], {
        "repo": {"type": "string", "pattern": "^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$",
                 "x-format": "owner/name of a GitHub repository"},
        "base_url": {"type": "string", "pattern": "^https?://"},
    }),
    "site": obj(["title"], {
        "title": ref("text"),
        "base_url": {"type": "string", "pattern": "^https?://"},
        "repo_url": {"type": "string", "pattern": "^https?://"},
        "branch": ref("text"),
    }),
    "validation": obj([], {"horizon": ref("duration")}),
    "oncall": obj([], {
        "limits": LIMITS,
        "fairness": FAIRNESS,
        "notice": ref("duration"),
    }),
    "postmortems": obj([], {"repeat_window": ref("duration")}),
    "runbooks": obj([], {"review_every": ref("duration")}),
    "actions": obj([], {"label": ref("text"), "remind_every": ref("duration")}),
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
    "name": ref("text"),
    "email": {"type": "string", "pattern": "^[^@\\s]+@[^@\\s]+$", "x-format": "an email address"},
    "github": {"type": "string", "pattern": "^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$",
               "x-format": "a GitHub login"},
    "timezone": ref("timezone"),
    "country": {"type": "string", "pattern": "^[A-Z]{2}$",
                "x-format": 'an ISO 3166 country code such as "DE"'},
    "subdivision": ref("text"),
    "phone": ref("text"),
    "time_off": array(obj(["from", "to"], {
        "from": ref("date_or_local_datetime"),
        "to": ref("date_or_local_datetime"),
        "reason": ref("text"),
    })),
})

ALERT = obj(["id", "runbook"], {
    "id": ref("id"),
    "summary": ref("text"),
    "severity": ref("severity_id"),
    "runbook": ref("runbook_id"),
})

SERVICE = obj(["id", "escalation_policy"], {
    "id": ref("id"),
    "name": ref("text"),
    "description": ref("text"),
    "tier": {"type": "integer", "minimum": 1, "maximum": 4},
    "escalation_policy": ref("id"),
    "severity_policies": {"type": "object", "propertyNames": ref("severity_id"),
                          "additionalProperties": ref("id")},
    "runbooks": array(ref("runbook_id"), uniqueItems=True),
    "alerts": array(ALERT),
    "repo": ref("text"),
})

TEAM = obj(["id", "name"], {
    "id": ref("id"),
    "name": ref("text"),
    "description": ref("text"),
    "chat": ref("text"),
    "people": array(PERSON),
    "members": ref("ids"),
    "services": array(SERVICE),
})

LAYER = obj(["name", "members", "start", "length"], {
    "name": ref("text"),
    "members": {**DEFS["ids"], "minItems": 1, "uniqueItems": False},
    "start": ref("local_datetime"),
    "length": ref("duration"),
    "end": ref("local_datetime"),
    "timezone": ref("timezone"),
    "restrictions": array(ref("window"), minItems=1),
})

SCHEDULE = obj(["id", "name", "team"], {
    "id": ref("id"),
    "name": ref("text"),
    "team": ref("id"),
    "description": ref("text"),
    "timezone": ref("timezone"),
    "coverage": {"oneOf": [{"type": "string", "enum": ["24x7", "none"]},
                           array(ref("window"), minItems=1)],
                 "x-format": "24x7, none, or a list of windows {days, from, to}"},
    "time_off": {"type": "string", "enum": ["skip", "flag"]},
    "limits": LIMITS,
    "fairness": FAIRNESS,
    "layers": array(LAYER, minItems=1),
    "derive": obj(["from"], {"from": ref("id"), "offset": {"type": "integer", "minimum": 1}}),
    "overrides": array(obj(["person", "from", "to"], {
        "person": ref("id"),
        "from": ref("local_datetime"),
        "to": ref("local_datetime"),
        "reason": ref("text"),
    })),
})

SEVERITY_LEVEL = obj(["id", "name", "pages", "acknowledge_within", "resolve_within"], {
    "id": ref("severity_id"),
    "name": ref("text"),
    "description": ref("text"),
    "impact": ref("text"),
    "examples": array(ref("text")),
    "pages": {"type": "boolean"},
    "channels": array(ref("text"), uniqueItems=True),
    "acknowledge_within": ref("duration"),
    "resolve_within": ref("duration"),
    "update_every": ref("duration"),
    "roles": array(ref("text"), uniqueItems=True),
    "monitor_after_fix": ref("duration"),
    "postmortem": obj(["required"], {"required": {"type": "boolean"}, "within": ref("duration")}),
})

SEVERITY = obj(["levels"], {
    "id": ref("id"),
    "levels": array(SEVERITY_LEVEL, minItems=1),
})

ESCALATION = obj(["id", "levels"], {
    "id": ref("id"),
    "name": ref("text"),
    "description": ref("text"),
    "levels": array(obj(["targets", "escalate_after"], {
        "targets": array({"type": "string", "pattern": "^(schedule|person|team):[a-z0-9][a-z0-9-]*$",
                          "x-format": "a target such as schedule:payments-primary, person:grace or team:sre"},
                         minItems=1, uniqueItems=True),
        "escalate_after": ref("duration"),
        "name": ref("text"),
    }), minItems=1),
    "repeat": {"type": "integer", "minimum": 0, "maximum": 10},
    "when_nobody": {"type": "string", "enum": ["wait", "skip"],
                    "x-format": "wait (a level that reaches nobody waits its escalate_after) or skip "
                                "(the next level is notified at once)"},
})

RUNBOOK = obj(["title"], {
    "title": ref("text"),
    "team": ref("id"),
    "services": ref("ids"),
    "tags": array(ref("text"), uniqueItems=True),
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
    "title": ref("text"),
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
        "title": ref("text"),
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
    return f"{header}{code.replace(FASTJSONSCHEMA_IMPORT, OWN_IMPORT)}\n\nvalidate = {name}\n"


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
