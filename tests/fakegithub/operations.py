"""GitHub's published operation behind each of the fake's routes, and the bodies it may answer with.

githubkit's REST client is generated from GitHub's OpenAPI description: each
operation names the model of its success body (none for 204 answers) and of
each error status it documents. Calling every operation once with a request
function that only records gives that table with no network. The fake checks
each answer against it, so the shape of a body is decided by GitHub's
description of the endpoint, never by the view that built it.

Statuses an operation does not document (401, 5xx, rate-limit refusals) are
ones GitHub can give on any endpoint, always with a ``basic-error`` body.
``POST /graphql`` is not part of the REST description: its answers are left
to the shape its view declares.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

OWNER, NAME, NUMBER, LOGIN = "kestrel-eng", "ops", 7, "ana-silva"
GRAPHQL = "/graphql"


@dataclass(frozen=True)
class Operation:
    """One of GitHub's REST operations, as githubkit generated it."""

    name: str
    method: str
    url: str
    #: the success body's model; ``None``: the success answer has no body
    success: Any
    errors: dict[str, Any]

    def model(self, status: int) -> Any:
        """The model a body with ``status`` must match (``None``: no body)."""
        if 200 <= status < 300:
            return self.success
        return self.errors.get(str(status)) or _basic_error()


def _calls() -> dict[str, Callable[[Any], Any]]:
    o, n = OWNER, NAME
    return {
        "repos.get": lambda r: r.repos.get(o, n),
        "issues.list_for_repo": lambda r: r.issues.list_for_repo(o, n),
        "issues.create": lambda r: r.issues.create(o, n, title="t"),
        "issues.get": lambda r: r.issues.get(o, n, NUMBER),
        "issues.update": lambda r: r.issues.update(o, n, NUMBER, title="t"),
        "issues.list_comments": lambda r: r.issues.list_comments(o, n, NUMBER),
        "issues.create_comment": lambda r: r.issues.create_comment(o, n, NUMBER, body="b"),
        "issues.update_comment": lambda r: r.issues.update_comment(o, n, NUMBER, body="b"),
        "issues.list_labels_for_repo": lambda r: r.issues.list_labels_for_repo(o, n),
        "issues.create_label": lambda r: r.issues.create_label(o, n, name="l"),
        "issues.list_milestones": lambda r: r.issues.list_milestones(o, n),
        "issues.create_milestone": lambda r: r.issues.create_milestone(o, n, title="t"),
        "issues.update_milestone": lambda r: r.issues.update_milestone(o, n, NUMBER, title="t"),
        "issues.check_user_can_be_assigned": lambda r: r.issues.check_user_can_be_assigned(o, n, LOGIN),
        "pulls.get": lambda r: r.pulls.get(o, n, NUMBER),
        "rate_limit.get": lambda r: r.rate_limit.get(),
        "pulls.list": lambda r: r.pulls.list(o, n),
        "pulls.create": lambda r: r.pulls.create(o, n, title="t", head="h", base="b"),
        "pulls.request_reviewers": lambda r: r.pulls.request_reviewers(o, n, NUMBER, reviewers=["x"]),
    }


@cache
def operations() -> tuple[Operation, ...]:
    """Every operation the fake serves, recorded from githubkit's generated client."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from githubkit import GitHub

        client = GitHub("not-a-token")
        seen: list[tuple[str, str, dict[str, Any]]] = []
        client.request = lambda method, url, **kw: seen.append((method, url, kw))  # type: ignore[method-assign,assignment]
        found = []
        for name, call in _calls().items():
            seen.clear()
            call(client.rest)
            ((method, url, kw),) = seen
            found.append(Operation(name, method, url, kw.get("response_model"), dict(kw.get("error_models") or {})))
    return tuple(found)


def route_operation(method: str, pattern: str) -> Operation | None:
    """The operation a route of the fake serves (its pattern matches the operation's sample URL)."""
    for operation in operations():
        if operation.method == method and re.fullmatch(pattern, operation.url):
            return operation
    return None


def check(method: str, path: str, status: int, body: Any, routes: list[tuple[str, str, Any]]) -> None:
    """Raise when ``body`` is not what GitHub documents for ``method path`` answering ``status``."""
    if path == GRAPHQL:
        return
    operation = next((route_operation(m, p) for m, p, _ in routes if m == method and re.fullmatch(p, path)), None)
    if operation is None:
        if 200 <= status < 300:
            raise ValueError(f"{method} {path}: no GitHub operation answers {status} here")
        model = _basic_error()
    else:
        model = operation.model(status)
    if model is None:
        if body is not None:
            raise ValueError(f"{operation.name if operation else path}: a {status} answer has no body")
        return
    if body is None:
        raise ValueError(f"{operation.name if operation else path}: a {status} answer has a body")
    _adapter(model).validate_python(body)


@cache
def _adapter(model: Any) -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(model)


@cache
def _basic_error() -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from githubkit_schemas.latest.models import BasicError
    return BasicError
