"""Every GitHub command picks the API root the same way: flag, opsrepo.yaml, the runner's $GITHUB_API_URL."""

from __future__ import annotations

import pytest

from opsrepo import model as m
from opsrepo.cli.actions import github_api

CONFIGURED = m.Org(name="Kestrel", timezone="UTC", src=m.Src(None), github_base_url="https://ghes.example/api/v3")
PLAIN = m.Org(name="Kestrel", timezone="UTC", src=m.Src(None))


@pytest.mark.parametrize(("option", "org", "env", "expected"), [
    ("https://flag.example/api/v3", CONFIGURED, "https://env.example", "https://flag.example/api/v3"),
    (None, CONFIGURED, "https://env.example", "https://ghes.example/api/v3"),
    (None, PLAIN, "https://env.example", "https://env.example"),
    (None, PLAIN, "", None),
])
def test_flag_then_opsrepo_yaml_then_the_runners_variable(option: str | None, org: m.Org, env: str,
                                                          expected: str | None,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_API_URL", env)
    assert github_api(option, org) == expected
