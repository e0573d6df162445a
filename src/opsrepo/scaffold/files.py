"""The scaffold's templates (package data) and how they become files.

Files ending in ``.jinja`` are rendered (values are passed through ``tojson``
where they land in YAML strings); every other file is copied byte for byte.
Hidden files are stored as ``dot-<name>`` so that every packaging tool ships
them; ``__name__`` markers in paths are replaced by values.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import PurePosixPath
from typing import Any

TEMPLATES = resources.files("opsrepo.scaffold") / "templates"
SUFFIX = ".jinja"
HIDDEN = "dot-"


def walk(folder: str) -> Iterator[tuple[PurePosixPath, Traversable]]:
    """Every template file below ``templates/<folder>``: (path relative to it, file), sorted."""
    stack: list[tuple[PurePosixPath, Traversable]] = [(PurePosixPath(), TEMPLATES / folder)]
    while stack:
        relative, entry = stack.pop()
        for child in sorted(entry.iterdir(), key=lambda c: c.name, reverse=True):
            if child.name == "__pycache__":
                continue
            if child.is_dir():
                stack.append((relative / child.name, child))
            else:
                yield relative / child.name, child


def target_path(relative: PurePosixPath, values: Mapping[str, Any]) -> PurePosixPath:
    """Where a template lands: ``dot-`` names hidden, ``.jinja`` dropped, ``__key__`` filled in."""
    parts = []
    for part in relative.parts:
        if part.startswith(HIDDEN):
            part = "." + part[len(HIDDEN):]
        if part.endswith(SUFFIX):
            part = part[: -len(SUFFIX)]
        for key, value in values.items():
            part = part.replace(f"__{key}__", str(value))
        parts.append(part)
    return PurePosixPath(*parts)


def render(template: Traversable, values: Mapping[str, Any]) -> bytes:
    """A template's content: rendered when it is a ``.jinja`` file, else as it is."""
    raw = template.read_bytes()
    if not template.name.endswith(SUFFIX):
        return raw
    text = environment().from_string(raw.decode("utf-8")).render(**values)
    return text.encode("utf-8")


def render_named(name: str, values: Mapping[str, Any]) -> str:
    """One template of ``templates/new`` rendered."""
    return render(TEMPLATES / "new" / f"{name}{SUFFIX}", values).decode("utf-8")


def environment() -> Any:
    """A strict Jinja environment for YAML and Markdown (no HTML, so no autoescape)."""
    import jinja2

    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False)
    env.filters["yaml"] = yaml_string
    return env


def yaml_string(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is a subset of YAML's)."""
    import json

    return json.dumps(str(value), ensure_ascii=False)
