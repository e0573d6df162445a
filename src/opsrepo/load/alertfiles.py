"""Prometheus rule files: where they are (``alerts.paths``) and each document in them.

Two shapes are read: a plain rule file (``groups:``, as Prometheus and
promtool read it) and a Kubernetes ``PrometheusRule`` resource (the
Prometheus Operator's, groups under ``spec``). Unlike the other files of an
ops repo, a rule file may hold several YAML documents, as Kubernetes manifests
often do: each is parsed alone (with its own source map), the file's size and
alias bounds apply to the whole file, and documents of other Kubernetes kinds
(a ``Kustomization``, a ``ConfigMap``) are skipped.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from opsrepo.errors import Diagnostic, Location
from opsrepo.load.files import ORG_FILE, Document, classify, decode_text, finish, read_bytes
from opsrepo.load.yamlsrc import MAX_DEPTH, AliasBudget, parse_yaml, split_documents, too_deep

#: where rule files are when opsrepo.yaml does not say
DEFAULT_PATHS = ("alerts/**/*.y*ml",)
#: the document kinds of rule files (their schemas' names)
PLAIN, OPERATOR = "alertrules", "prometheusrule"
KINDS = frozenset({PLAIN, OPERATOR})

Parsed = tuple[Document | None, list[Diagnostic]]


def configured_paths(org_data: Any) -> tuple[tuple[str, ...], bool]:
    """The rule-file patterns of the org's raw data, and whether the org sets them.

    Patterns that could reach outside the repo are left out (the org's schema
    check reports them).
    """
    alerts = org_data.get("alerts") if isinstance(org_data, dict) else None
    paths = alerts.get("paths") if isinstance(alerts, dict) else None
    if isinstance(paths, list):
        return tuple(p for p in paths if isinstance(p, str) and _safe(p)), True
    return DEFAULT_PATHS, False


def _safe(pattern: str) -> bool:
    parts = pattern.split("/")
    return bool(pattern) and not pattern.startswith("/") and "\\" not in pattern and ".." not in parts


@lru_cache(maxsize=64)
def pattern_regex(pattern: str) -> re.Pattern[str]:
    """A glob (``*``, ``?``, ``[...]``, and ``**`` for any number of folders) as a regex on posix paths."""
    out = []
    parts = pattern.split("/")
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part == "**":
            out.append(".*" if last else "(?:[^/]+/)*")
            continue
        out.append(_segment(part) + ("" if last else "/"))
    return re.compile("".join(out) + r"\Z")


def _segment(part: str) -> str:
    found, index = [], 0
    while index < len(part):
        char = part[index]
        close = part.find("]", index + 2) if char == "[" else -1
        if char == "*":
            found.append("[^/]*")
        elif char == "?":
            found.append("[^/]")
        elif close != -1:
            inner = part[index + 1 : close]
            found.append("[" + ("^" + re.escape(inner[1:]) if inner[:1] == "!" else re.escape(inner)) + "]")
            index = close
        else:
            found.append(re.escape(char))
        index += 1
    return "".join(found)


def literal_base(pattern: str) -> str:
    """The folders of a pattern before its first wildcard: only they are walked."""
    base = []
    for part in pattern.split("/")[:-1]:
        if any(char in part for char in "*?["):
            break
        base.append(part)
    return "/".join(base)


def is_rule_file(relative: str, patterns: Iterable[str]) -> bool:
    """True when a repo-relative posix path is a rule file: it matches a pattern and is no other kind."""
    if relative == ORG_FILE or classify(relative) is not None:
        return False
    return any(pattern_regex(pattern).match(relative) for pattern in patterns)


def find(root: Path, patterns: Iterable[str]) -> Iterator[tuple[str, Path]]:
    """Each rule file under ``root`` (``(pattern, file)``, sorted, each file once), links included.

    Hidden folders (``.git``) are not walked, and links to folders are not
    followed; a linked file is listed so that reading it reports it.
    """
    seen: set[str] = set()
    found = []
    for pattern in patterns:
        base = root / literal_base(pattern)
        if not base.is_dir() or base.is_symlink():
            continue
        regex = pattern_regex(pattern)
        for folder, folders, files in os.walk(base):
            folders[:] = sorted(name for name in folders if not name.startswith("."))
            for name in files:
                path = Path(folder, name)
                relative = path.relative_to(root).as_posix()
                if relative not in seen and regex.match(relative) and is_rule_file(relative, [pattern]):
                    seen.add(relative)
                    found.append((relative, pattern, path))
    for _, pattern, path in sorted(found):
        yield pattern, path


def read_rule_file(root: Path, path: Path) -> list[Parsed]:
    """Every rule document of one file (or the diagnostics that stop it being read)."""
    relative, raw, problems = read_bytes(root, path)
    if raw is None:
        return [(None, problems)]
    return parse_rule_file(relative, raw)


def parse_rule_file(relative: str, raw: bytes) -> list[Parsed]:
    """Every rule document of one file's bytes: plain rule groups or PrometheusRule resources."""
    text, problems = decode_text(relative, raw)
    if text is None:
        return [(None, _empty_hint(problems))]
    deep = too_deep(text)  # before libyaml's parser meets it (it refuses some depths with its own words)
    if deep is not None:
        return [(None, [Location(relative, *deep).error(
            "OPS014", f"collections nest more than {MAX_DEPTH} levels deep here",
            "flatten the structure; opsrepo files need only a few levels",
        )])]
    documents, problem = split_documents(text, relative)
    results: list[Parsed] = []
    budget = AliasBudget()
    for start, chunk in documents:
        parsed = parse_yaml(chunk, relative, start, positions=False, budget=budget)
        if parsed.data is None and not parsed.diagnostics:
            continue  # an empty document, such as a trailing '---'
        kind = document_kind(parsed.data)
        if kind is None:
            continue  # another kind of Kubernetes object
        document = Document(relative, kind, text, yaml_text=chunk, yaml_line_offset=start)
        parsed.diagnostics = _empty_hint(parsed.diagnostics)
        results.append(finish(document, parsed))
    if problem is not None:
        results.append((None, [problem]))
    return results


def _empty_hint(problems: list[Diagnostic]) -> list[Diagnostic]:
    """A rule file without rules is told what to write: rule groups, not an id."""
    hint = "write rule groups (groups: [...]), or delete the file"
    return [replace(d, hint=hint) if d.code == "OPS007" else d for d in problems]


def document_kind(data: Any) -> str | None:
    """The kind of one document of a rule file; None for other Kubernetes objects, which are skipped.

    A document with ``apiVersion`` or ``kind`` is a Kubernetes object: a
    PrometheusRule when either says so (or ``kind`` nearly spells it, so the
    schema reports the typo); any other document is a plain rule file.
    """
    if not isinstance(data, dict) or ("apiVersion" not in data and "kind" not in data):
        return PLAIN
    kind, api = data.get("kind"), data.get("apiVersion")
    if kind == "PrometheusRule" or (isinstance(api, str) and api.startswith("monitoring.coreos.com/")):
        return OPERATOR
    if isinstance(kind, str) and _spells_prometheusrule(kind):
        return OPERATOR
    return None


def _spells_prometheusrule(kind: str) -> bool:
    import difflib  # only for a document of another kind: not on every start

    return difflib.SequenceMatcher(None, kind.lower(), "prometheusrule").ratio() >= 0.8


def groups_path(kind: str) -> tuple[str, ...]:
    """Where the rule groups are in a document of ``kind``."""
    return ("spec", "groups") if kind == OPERATOR else ("groups",)


def alert_names(document: Document) -> set[str]:
    """The alert names a rule document's data defines ("*" for one that cannot be read)."""
    data: Any = document.data
    for key in groups_path(document.kind):
        data = data.get(key) if isinstance(data, dict) else None
    if not isinstance(data, list):
        return {"*"}
    names = set()
    for group in data:
        rules = group.get("rules") if isinstance(group, dict) else None
        for entry in rules if isinstance(rules, list) else [None]:
            if isinstance(entry, dict) and "record" in entry and "alert" not in entry:
                continue
            name = entry.get("alert") if isinstance(entry, dict) else None
            names.add(name if isinstance(name, str) else "*")
    return names
