"""The 404 page's ``<base href>`` is a plain path on the site's own host, whatever ``site.base_url`` says."""

from __future__ import annotations

import pytest

from opsrepo.site.render import base_path


@pytest.mark.parametrize(("base_url", "expected"), [
    (None, "/"), ("https://kestrel-eng.github.io/ops/", "/ops/"), ("https://x.example/ops", "/ops/"),
    ("https://x.example", "/"), ("https://good.example//evil.example/", "/"), ("//evil.example/", "/"),
    ("https://x.example/a/../b/", "/"), ("https://x.example/a\\\\evil/", "/"), ("javascript:alert(1)", "/"),
])
def test_only_a_plain_path_becomes_the_base(base_url: str | None, expected: str) -> None:
    assert base_path(base_url) == expected
