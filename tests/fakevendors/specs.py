"""The vendors' API descriptions in ``shared/vendor-api`` beside the checkout, with our errata.

CI clones the repository into a folder with a copy of ``shared/`` beside it, so
the files are found relative to this file. A missing file is an error (tests
fail, they do not skip): the fakes must not run unchecked.

PagerDuty errata (``rest-openapi-subset.json`` as published contradicts the API
on these points; each is a fix of the description, never a relaxation of the
fake):

1. Responses have no ``description`` (the subset removed the prose), which
   OpenAPI 3.0 requires: filled with "".
2. ``Tag`` (the base of every reference) marks ``id`` and ``type`` ``readOnly``
   while ``Reference`` requires them, so no request could carry a reference (the
   API's own request examples do): not read-only here.
3. Every operation declares a required ``Content-Type`` header; PagerDuty's
   official client sends it only with a body, and the API answers such GETs:
   required only where the operation has a request body.
4. ``GET /schedules/{id}/overrides`` documents its answer as 201; the API answers
   200 (PagerDuty's API reference, "List overrides"): the 201 is also given as
   200.
5. ``Schedule.teams`` is marked ``readOnly``, yet it is how a schedule is put in
   teams on create and update (the Terraform provider's ``expandTeams`` sends it;
   ``EscalationPolicy.teams`` is writable): not read-only here.
"""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path
from typing import Any

VENDOR_API = Path(__file__).parents[2] / ".." / "shared" / "vendor-api"
PAGERDUTY = VENDOR_API / "pagerduty" / "rest-openapi-subset.json"
OPSGENIE = VENDOR_API / "opsgenie" / "swagger.json"


def _read(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise FileNotFoundError(f"vendor API description missing: {path.resolve()} (shared/vendor-api must sit "
                                "beside the repository checkout)")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@functools.cache
def opsgenie() -> dict[str, Any]:
    return _read(OPSGENIE)


@functools.cache
def pagerduty_raw() -> dict[str, Any]:
    return _read(PAGERDUTY)


def _describe(responses: dict[str, Any]) -> None:
    for response in responses.values():
        if isinstance(response, dict) and "$ref" not in response:
            response.setdefault("description", "")


@functools.cache
def pagerduty() -> dict[str, Any]:
    """The PagerDuty description with the errata above applied."""
    spec = copy.deepcopy(pagerduty_raw())
    components = spec["components"]
    _describe(components["responses"])
    for prop in ("id", "type"):
        components["schemas"]["Tag"]["allOf"][0]["properties"][prop].pop("readOnly", None)
    components["schemas"]["Schedule"]["allOf"][1]["properties"]["teams"].pop("readOnly", None)
    content_type = components["parameters"]["header_Content-Type"]
    optional = {**content_type, "required": False}
    components["parameters"]["header_Content-Type_optional"] = optional
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            _describe(operation["responses"])
            if "requestBody" not in operation:
                operation["parameters"] = [
                    {"$ref": "#/components/parameters/header_Content-Type_optional"}
                    if p == {"$ref": "#/components/parameters/header_Content-Type"} else p
                    for p in operation.get("parameters", [])]
            if path == "/schedules/{id}/overrides" and method == "get":
                operation["responses"].setdefault("200", operation["responses"]["201"])
    return spec
