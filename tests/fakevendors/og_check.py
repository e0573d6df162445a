"""Every request to and answer from the fake Opsgenie checked against ``swagger.json`` (Swagger 2.0).

``jsonschema`` (draft 4, which Swagger 2.0 schemas are) validates, per
operation: the query parameters (type, enum, required), the ``body`` parameter
against its schema, and the answer against the schema of its status (or
``default``). ``#/definitions/...`` references resolve inside the swagger
document; a schema with a ``discriminator`` is also checked against the
definition whose ``x-discriminator-value`` (or name) the instance names, so a
``timeRestriction`` of type ``time-of-day`` must carry a valid ``restriction``.
``format: date-time`` is checked. Findings go to the same record as PagerDuty's.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from jsonschema import Draft4Validator, FormatChecker, validators
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from tests.fakevendors import specs

URI = "urn:opsgenie-swagger"
FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    return not isinstance(value, str) or datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo is not None


def _discriminator(validator: Any, field: str, instance: Any, schema: dict[str, Any]) -> Iterator[Any]:
    if not isinstance(instance, dict) or field not in instance:
        return
    value = instance[field]
    for name, definition in specs.opsgenie()["definitions"].items():
        if definition and (definition.get("x-discriminator-value") == value or name == value):
            for part in definition.get("allOf", []):
                if "$ref" not in part:  # the base, which holds the discriminator, is being checked already
                    yield from validator.descend(instance, part)


Checker = validators.extend(Draft4Validator, {"discriminator": _discriminator})


@functools.cache
def _registry() -> Registry:
    return Registry().with_resource(URI, Resource(contents=specs.opsgenie(), specification=DRAFT4))


@functools.cache
def _validator(pointer: str) -> Any:
    return Checker({"$ref": f"{URI}#{pointer}"}, registry=_registry(), format_checker=FORMATS)


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def operation(method: str, path: str) -> tuple[str, dict[str, Any]] | None:
    """The swagger path template and operation serving ``method path``."""
    paths = specs.opsgenie()["paths"]
    for template, item in paths.items():
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, path) and method.lower() in item:
            literal = template.count("{")
            best = (template, item[method.lower()])
            # /v2/schedules/on-calls beats /v2/schedules/{identifier}: prefer fewer placeholders
            for other, other_item in paths.items():
                other_pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(other))
                if other.count("{") < literal and re.fullmatch(other_pattern, path) and method.lower() in other_item:
                    best, literal = (other, other_item[method.lower()]), other.count("{")
            return best
    return None


def _parameters(op: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for param in op.get("parameters", []):
        if "$ref" in param:
            param = specs.opsgenie()["parameters"][param["$ref"].rsplit("/", 1)[1]]
        found.append(param)
    return found


def check_request(method: str, path: str, query: dict[str, list[str]], body: Any) -> str | None:
    found = operation(method, path)
    if found is None:
        return f"no operation {method} {path} in swagger.json"
    template, op = found
    problems = []
    for param in _parameters(op):
        if param["in"] == "query":
            values = query.get(param["name"])
            if values is None:
                if param.get("required"):
                    problems.append(f"missing query parameter {param['name']}")
                continue
            for value in values[0].split(",") if param.get("type") == "array" else values:
                problems += _query_value(param, value)
        elif param["in"] == "body":
            if body is None:
                if param.get("required"):
                    problems.append("missing body")
                continue
            index = op["parameters"].index(next(p for p in op["parameters"] if p.get("in") == "body"))
            pointer = f"/paths/{_escape(template)}/{method.lower()}/parameters/{index}/schema"
            problems += [f"body: {e.message} at {list(e.absolute_path)}" for e in _validator(pointer).iter_errors(body)]
    known = {p["name"] for p in _parameters(op) if p["in"] == "query"}
    problems += [f"unknown query parameter {name}" for name in query if name not in known]
    return "; ".join(problems) or None


def _query_value(param: dict[str, Any], value: str) -> list[str]:
    kind = param.get("items", {}).get("type") if param.get("type") == "array" else param.get("type")
    enum = param.get("items", {}).get("enum") if param.get("type") == "array" else param.get("enum")
    if kind == "integer" and not re.fullmatch(r"-?\d+", value):
        return [f"query {param['name']}={value!r} is not an integer"]
    if kind == "boolean" and value not in ("true", "false"):
        return [f"query {param['name']}={value!r} is not a boolean"]
    if enum and value not in enum:
        return [f"query {param['name']}={value!r} not in {enum}"]
    if param.get("format") == "date-time":
        try:
            _date_time(value)
        except ValueError:
            return [f"query {param['name']}={value!r} is not a date-time"]
    return []


def documented(method: str, path: str, status: int) -> bool:
    found = operation(method, path)
    return found is not None and (str(status) in found[1]["responses"] or "default" in found[1]["responses"])


def check_response(method: str, path: str, status: int, body: Any) -> str | None:
    found = operation(method, path)
    if found is None:
        return f"no operation {method} {path} in swagger.json"
    template, op = found
    code = str(status) if str(status) in op["responses"] else "default"
    response = op["responses"].get(code)
    if response is None:
        return f"{status} is not a documented answer of {method} {template}"
    if "$ref" in response:
        pointer = "/responses/" + response["$ref"].rsplit("/", 1)[1] + "/schema"
        has_schema = "schema" in specs.opsgenie()["responses"][response["$ref"].rsplit("/", 1)[1]]
    else:
        pointer = f"/paths/{_escape(template)}/{method.lower()}/responses/{code}/schema"
        has_schema = "schema" in response
    if not has_schema:
        return None
    errors = [f"{e.message} at {list(e.absolute_path)}" for e in _validator(pointer).iter_errors(body)]
    return "; ".join(errors) or None
