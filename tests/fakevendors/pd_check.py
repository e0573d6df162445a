"""Every request to and answer from the fake PagerDuty checked against the API description.

``openapi-core`` validates both against ``rest-openapi-subset.json`` (with the
errata listed in :mod:`tests.fakevendors.specs`): path, method, parameters,
headers, request body, status code and answer body. A finding is returned as a
message; the server records it and answers 500, and the test fixture fails the
test at teardown (:mod:`tests.fakevendors.fixtures`).
"""

from __future__ import annotations

import functools
import json
from typing import Any

from openapi_core import OpenAPI
from openapi_core.templating.paths.exceptions import PathNotFound
from openapi_core.templating.responses.exceptions import ResponseNotFound
from openapi_core.testing import MockRequest, MockResponse

from tests.fakevendors import specs

HOST = "https://api.pagerduty.com"


@functools.cache
def api() -> OpenAPI:
    return OpenAPI.from_dict(specs.pagerduty())


def _why(exc: Exception) -> str:
    parts = [f"{type(exc).__name__}: {exc}"]
    cause = exc.__cause__
    for error in getattr(cause, "schema_errors", None) or []:
        parts.append(str(error.message))
    return "; ".join(parts)


def _request(method: str, path: str, query: dict[str, list[str]], headers: dict[str, str],
             raw: bytes) -> MockRequest:
    return MockRequest(HOST, method.lower(), path, args=query, headers=headers, data=raw or None,
                       content_type=headers.get("content-type", "application/json"))


def check_request(method: str, path: str, query: dict[str, list[str]], headers: dict[str, str],
                  raw: bytes) -> str | None:
    """Why the request breaks the description, or None."""
    try:
        api().validate_request(_request(method, path, query, headers, raw))
    except Exception as exc:
        return _why(exc)
    return None


def documented(method: str, path: str, status: int) -> bool:
    """Whether the description lists ``status`` for the operation (injected faults may not be)."""
    try:
        api().validate_response(_request(method, path, {}, {}, b""), MockResponse(b"", status_code=status))
    except (ResponseNotFound, PathNotFound):
        return False
    except Exception:
        return True
    return True


def check_response(method: str, path: str, query: dict[str, list[str]], headers: dict[str, str], raw: bytes,
                   status: int, body: Any) -> str | None:
    """Why the answer breaks the description, or None."""
    data = b"" if body is None else json.dumps(body).encode()
    response = MockResponse(data, status_code=status, content_type="application/json" if data else "")
    try:
        api().validate_response(_request(method, path, query, headers, raw), response)
    except Exception as exc:
        return _why(exc)
    return None
