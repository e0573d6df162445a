"""Slack's published description of the Web API methods opsrepo calls, and checks against it.

``slack-web-api-subset.json`` holds those methods (paths) and the
definitions they reference, copied from slackapi/slack-api-specs (see the
README beside it). Requests are checked against a method's ``parameters``
(every one sent is declared, the required ones are there, booleans and
integers parse); answers against its ``200`` schema when ``ok`` is true and
its ``default`` schema when not.

Slack's description writes "one of these" as a list under ``items`` without
``type: array`` (``objs_user``, ``objs_conversation``, ``auto_type``): under
JSON Schema draft 4 that constrains nothing but arrays. The checks read it as
Slack means it, ``anyOf`` the listed schemas, so those objects are checked
too. A rate-limited answer (HTTP 429) is no method's: Slack documents it for
every method alike as ``{"ok": false, "error": "ratelimited"}``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

SUBSET = Path(__file__).parent / "slack-web-api-subset.json"
RATELIMITED = {"type": "object", "additionalProperties": False, "required": ["ok", "error"],
               "properties": {"ok": {"enum": [False]}, "error": {"enum": ["ratelimited"]}}}


class Drift(ValueError):
    """A request or answer that Slack's description does not allow."""


@cache
def document() -> dict[str, Any]:
    """The subset, with Slack's ``items`` lists read as ``anyOf``."""
    loaded: dict[str, Any] = json.loads(SUBSET.read_text(encoding="utf-8"))
    return _one_of(loaded)


def _one_of(node: Any) -> Any:
    if isinstance(node, list):
        return [_one_of(item) for item in node]
    if not isinstance(node, dict):
        return node
    items = node.get("items")
    if isinstance(items, list) and node.get("type") != "array":
        rest = {key: _one_of(value) for key, value in node.items() if key != "items"}
        return {**rest, "anyOf": [_one_of(item) for item in items]}
    return {key: _one_of(value) for key, value in node.items()}


def operation(method: str) -> tuple[str, dict[str, Any]]:
    """The HTTP verb and operation object of ``method``; Drift for a method outside the subset."""
    path = document()["paths"].get(f"/{method}")
    if path is None:
        raise Drift(f"{method} is not a method of the subset (the fake serves only what opsrepo calls)")
    ((verb, found),) = path.items()
    return verb.upper(), found


def check_request(method: str, params: dict[str, Any]) -> None:
    """Raise Drift when ``params`` (the token aside) break the method's declared parameters."""
    _, found = operation(method)
    declared = {p["name"]: p for p in found["parameters"] if p["name"] != "token"}
    unknown = sorted(set(params) - set(declared))
    if unknown:
        raise Drift(f"{method}: parameters Slack does not declare: {', '.join(unknown)}")
    missing = sorted(name for name, p in declared.items() if p.get("required") and name not in params)
    if missing:
        raise Drift(f"{method}: required parameters missing: {', '.join(missing)}")
    for name, value in params.items():
        kind = declared[name]["type"]
        if kind == "boolean" and str(value).lower() not in ("true", "false", "1", "0"):
            raise Drift(f"{method}: {name}={value!r} is not a boolean")
        if kind == "integer" and not str(value).lstrip("-").isdigit():
            raise Drift(f"{method}: {name}={value!r} is not an integer")


def check_answer(method: str, status: int, body: Any) -> None:
    """Raise Drift when ``body`` is not what Slack's description allows ``method`` to answer."""
    import jsonschema

    if status == 429:
        schema = RATELIMITED
    else:
        _, found = operation(method)
        key = "200" if isinstance(body, dict) and body.get("ok") is True else "default"
        schema = found["responses"][key]["schema"]
    validator = jsonschema.Draft4Validator({**schema, "definitions": document()["definitions"]})
    error = jsonschema.exceptions.best_match(validator.iter_errors(body))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        raise Drift(f"{method} answer at {where}: {error.message}")
