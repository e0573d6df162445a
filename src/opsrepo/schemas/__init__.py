"""The JSON Schemas of every document kind, and validation with positioned diagnostics."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from opsrepo.errors import Diagnostic, Location, shown
from opsrepo.load.files import Document

KINDS = ("org", "team", "schedule", "severity", "escalation", "runbook", "postmortem", "alertrules",
         "prometheusrule")

_TYPE_NAMES = {
    "string": "text", "integer": "a whole number", "number": "a number", "boolean": "true or false",
    "array": "a list", "object": "a mapping", "null": "nothing",
}


def schema_text(kind: str) -> str:
    """The JSON text of the schema for ``kind``."""
    from importlib import resources  # 20 ms (tempfile, shutil, lzma): validating needs only the compiled code

    return resources.files(__package__).joinpath(f"{kind}.schema.json").read_text("utf-8")


@cache
def schema(kind: str) -> dict[str, Any]:
    """The parsed schema for ``kind``."""
    import json  # validating runs the compiled code: the schema itself is read by few commands

    loaded: dict[str, Any] = json.loads(schema_text(kind))
    return loaded


def export(directory: Path) -> list[Path]:
    """Write every schema to ``directory`` as ``<kind>.schema.json``."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        target = directory / f"{kind}.schema.json"
        target.write_text(schema_text(kind), encoding="utf-8")
        written.append(target)
    return written


#: an unescaped ``$``: in a JSON Schema (ECMA-262) pattern it matches only at the very end of the text
_DOLLAR = re.compile(r"(?<!\\)\$")


@cache
def _validator(kind: str) -> Any:
    r"""The jsonschema validator for ``kind``, with ``pattern`` read as ECMA-262 reads it.

    Python's ``$`` also matches before a final newline, so ``id: "canary\n"``
    passed ``^[a-z0-9][a-z0-9-]*$`` here while the compiled validator (which
    writes ``\Z``, as fastjsonschema does) refused it: the two disagreed and
    the id went through. Both now anchor at the very end.
    """
    from jsonschema import Draft202012Validator, validators  # heavy; only when validating

    def pattern(validator: Any, value: str, instance: Any, _schema: Any) -> Any:
        if validator.is_type(instance, "string") and not _ecma(value).search(instance):
            from jsonschema.exceptions import ValidationError

            yield ValidationError(f"{instance!r} does not match {value!r}")

    strict = validators.extend(Draft202012Validator, {"pattern": pattern})
    return strict(schema(kind))


@cache
def _ecma(pattern: str) -> re.Pattern[str]:
    return re.compile(_DOLLAR.sub(r"\\Z", pattern))


@cache
def _compiled(kind: str) -> Callable[[Any], Any]:
    """The compiled validator of ``kind``: code scripts/make_schemas.py generated with fastjsonschema.

    Shipped as code rather than compiled at run time (2-7 ms a kind, plus
    fastjsonschema's import); jsonschema's import alone costs ~50 ms, so a
    valid repo is checked without ever importing it. A test checks the code
    is current with the schemas.
    """
    module = importlib.import_module(f"{__package__}.compiled.{kind}")
    validator: Callable[[Any], Any] = module.validate
    return validator


#: a path into a document: mapping keys and list indexes
DataPath = tuple[Any, ...]


def validate(document: Document) -> list[Diagnostic]:
    """Schema diagnostics for one parsed document, in file order."""
    return check(document)[0]


def check(document: Document) -> tuple[list[Diagnostic], list[DataPath]]:
    """Schema diagnostics for one parsed document, in file order, and the paths of the values at fault.

    Valid documents (nearly all) are confirmed by the compiled validator;
    only failures pay for jsonschema's detailed errors. A failure at or below
    a value the parser could not read (``document.unreadable``) is the
    parser's diagnostic's consequence: its path is returned, its diagnostic
    is not.
    """
    try:
        _compiled(document.kind)(document.data)
        return [], []
    except Exception as exc:  # fastjsonschema's JsonSchemaException; details come from jsonschema
        oversized = _oversized(document, str(exc))
        if oversized is not None:
            return [oversized[0]], [oversized[1]]
    validator = _validator(document.kind)
    if validator.is_valid(document.data):
        # the two validators disagree: never let that pass a document the fast one refused
        return [Location(document.path, 1, 1).error(
            "OPS199", f"the {document.kind} file does not match its schema",
            "see the schema for this file kind")], []
    found: list[Diagnostic] = []
    paths: list[DataPath] = []
    for error in _leaf_errors(validator.iter_errors(document.data)):
        condemned = _condemned(error)
        paths += condemned
        if not any(_unreadable(document, path, error) for path in condemned):
            found += _diagnostics(document, error)
    unique = {(d.line, d.column, d.code, d.message): d for d in found}
    return sorted(unique.values()), paths


def _condemned(error: Any) -> list[DataPath]:
    """The values an error makes unusable: an unknown key's entry, else the value that failed."""
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties":
        allowed = error.schema.get("properties", {})
        return [(*path, key) for key in error.instance if key not in allowed]
    if "propertyNames" in error.absolute_schema_path:
        return [(*path, error.instance)]
    return [path]


def _unreadable(document: Document, path: DataPath, error: Any) -> bool:
    """True when ``path`` lies at or below a value the parser could not read (or a required key is one)."""
    if not document.unreadable:
        return False
    candidates = [path]
    if error.validator == "required" and "'" in error.message:
        candidates.append((*path, error.message.split("'")[1]))
    return any(candidate[: len(bad)] == tuple(bad) for candidate in candidates for bad in document.unreadable)


_SIZE = re.compile(r"data((?:\.[A-Za-z_][\w-]*|\[\d+\])*) must (?:contain less than or equal to (\d+) "
                   r"items|be shorter than or equal to (\d+) characters)")
_STEP = re.compile(r"\.([A-Za-z_][\w-]*)|\[(\d+)\]")


def _oversized(document: Document, message: str) -> tuple[Diagnostic, DataPath] | None:
    """A list or text over its size limit, told from the compiled validator's message alone.

    jsonschema would look at every one of 100,000 members, and its messages
    repeat the value (a 200 KB name a thousand times: 400 MB): a file over a
    size limit is reported at that limit, the rest once it is fixed.
    """
    found = _SIZE.fullmatch(message)
    if found is None:
        return None
    path = tuple(int(index) if index else key for key, index in _STEP.findall(found.group(1)))
    value = document.data
    for step in path:
        value = value[step]
    where = document.location(*path)
    if found.group(2):
        return _too_many(where, path, value, int(found.group(2))), path
    return _too_long(where, path, value, int(found.group(3))), path


def _too_many(where: Location, path: tuple[Any, ...], value: Any, limit: int) -> Diagnostic:
    message = f"{_name(path)} has {len(value)} entries, more than the {limit} opsrepo reads"
    return where.error("OPS106", message, "split it, or remove entries")


def _too_long(where: Location, path: tuple[Any, ...], value: Any, limit: int) -> Diagnostic:
    message = f"{_show(value)} is too long{_in(path)}: at most {limit} characters"
    return where.error("OPS106", message, "shorten it")


def _leaf_errors(errors: Any) -> Any:
    """Flatten ``oneOf`` failures to the branch that matches the value's type best."""
    for error in errors:
        if error.validator == "oneOf" and error.context:
            branches: dict[int, list[Any]] = {}
            for inner in error.context:
                branches.setdefault(inner.relative_schema_path[0], []).append(inner)
            fitting = [
                found for found in branches.values()
                if not any(e.validator == "type" and not e.relative_path for e in found)
            ]
            if len(fitting) == 1:
                yield from _leaf_errors(fitting[0])
                continue
        yield error


def _diagnostics(document: Document, error: Any) -> list[Diagnostic]:
    if error.validator == "additionalProperties":
        return _unknown_keys(document, error, tuple(error.absolute_path))
    return [_diagnostic(document, error)]


def _diagnostic(document: Document, error: Any) -> Diagnostic:
    path = tuple(error.absolute_path)
    where = document.location(*path)
    keyword = error.validator
    if keyword == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return where.error("OPS102", f"missing required key '{missing}'{_in(path)}",
                           f"add '{missing}:' here")
    if keyword == "type":
        return _wrong_type(document, error, path)
    if keyword == "enum":
        allowed = [str(v) for v in error.validator_value]
        hint = _did_you_mean(str(error.instance), allowed) or f"use one of: {', '.join(allowed)}"
        return where.error("OPS104", f"{_show(error.instance)} is not allowed{_in(path)}; "
                           f"expected one of {', '.join(allowed)}", hint)
    if keyword == "pattern" and _out_of_range(error.schema, error.instance):
        bound = error.schema["x-range"]
        hint = _DATE_HINT if "years" in bound else "write a shorter duration"
        message = f"{_show(error.instance)} is out of range{_in(path)}: opsrepo reads {bound}"
        return where.error("OPS106", message, hint)
    if keyword in ("pattern", "oneOf"):
        expected = error.schema.get("x-format") or _parent_format(error) or "a valid value"
        if "propertyNames" in error.absolute_schema_path:  # a key of the mapping at ``path``: point at it
            return document.location(*path, error.instance, key=True).error(
                "OPS105", f"the key {_show(error.instance)} is not {expected}{_in(path)}",
                _pattern_hint(error.instance, expected))
        return where.error("OPS105", f"{_show(error.instance)} is not {expected}{_in(path)}",
                           _pattern_hint(error.instance, expected))
    if keyword in ("minItems", "minLength"):
        return where.error("OPS106", f"{_name(path)} must not be empty",
                           "give at least one value, or remove the key")
    if keyword == "maxItems":
        return _too_many(where, path, error.instance, error.validator_value)
    if keyword == "maxLength":
        return _too_long(where, path, error.instance, error.validator_value)
    if keyword == "uniqueItems":
        return where.error("OPS106", f"the list{_in(path)} repeats a value", "remove the duplicate")
    if keyword in ("minimum", "maximum"):
        bound = "at least" if keyword == "minimum" else "at most"
        return where.error("OPS106", f"{_show(error.instance)} is out of range{_in(path)}: "
                           f"it must be {bound} {error.validator_value}", "change the number")
    return where.error("OPS199", f"{error.message}{_in(path)}", "see the schema for this file kind")


_DATE_HINT = "write a date from 1900 to 2999 (2999-12-31 for 'until further notice')"


def _out_of_range(schema: dict[str, Any], value: Any) -> bool:
    """A value of the right shape (``x-shape``) that the pattern refuses for its size (``x-range``)."""
    shape = schema.get("x-shape")
    return isinstance(value, str) and shape is not None and _ecma(shape).search(value) is not None


def _unknown_keys(document: Document, error: Any, path: tuple[Any, ...]) -> list[Diagnostic]:
    allowed = sorted(error.schema.get("properties", {}))
    found = []
    for key in error.instance:
        if key in allowed:
            continue
        hint = _did_you_mean(key, allowed) or f"allowed keys here: {', '.join(allowed)}"
        where = document.location(*path, key, key=True)
        found.append(where.error("OPS101", f"unknown key '{shown(str(key))}'{_in(path)}", hint))
    return found


def _wrong_type(document: Document, error: Any, path: tuple[Any, ...]) -> Diagnostic:
    where = document.location(*path)
    expected = error.validator_value
    expected_types = [expected] if isinstance(expected, str) else expected
    names = " or ".join(_TYPE_NAMES.get(t, t) for t in expected_types)
    word = document.source_map.bool_words.get(path)
    if word is not None and "string" in expected:
        return where.error(
            "OPS005", f"unquoted {word} is read by YAML 1.1 as the boolean {str(error.instance).lower()}, "
            f"not the text '{word}'{_in(path)}", f'quote it: "{word}"',
        )
    hint = "quote the value to make it text" if "string" in expected else f"write {names} here"
    return where.error("OPS103", f"expected {names}, got {_describe(error.instance)}{_in(path)}", hint)


def _parent_format(error: Any) -> str | None:
    for schema in reversed(list(getattr(error, "_schema_chain", []))):
        if isinstance(schema, dict) and "x-format" in schema:
            return str(schema["x-format"])
    return None


def _pattern_hint(value: Any, expected: str) -> str:
    if isinstance(value, str) and value.lower() != value and "slug" in expected:
        return f"use lower case: {value.lower()}"
    if isinstance(value, str) and "severity id" in expected:
        squeezed = "".join(ch for ch in value.upper() if ch.isalnum())
        if squeezed and squeezed != value:
            return f"did you mean '{squeezed}'?"
    if isinstance(value, str) and "timezone" in expected:
        from opsrepo.timeutil import closest_zone

        close = closest_zone(value)
        if close:
            return f"did you mean '{close}'?"
    return f"write {expected}"


def _did_you_mean(word: str, choices: list[str]) -> str | None:
    import difflib  # only for failures, off the start path

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def _in(path: tuple[Any, ...]) -> str:
    if not path:
        return ""
    text = "".join(f"[{p}]" if isinstance(p, int) else f".{shown(str(p), 40)}" for p in path).lstrip(".")
    return f" in {text}"


def _name(path: tuple[Any, ...]) -> str:
    return _in(path)[len(" in "):] or "the document"


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f"'{shown(value)}'"
    return _describe(value)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{shown(value)}'"
    if isinstance(value, list):
        return "a list"
    return "a mapping"
