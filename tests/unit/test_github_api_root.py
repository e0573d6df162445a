"""Every GitHub command picks the API root the same way: the flag, else the runner's $GITHUB_API_URL.

Never opsrepo.yaml: in a pull request it is the pull request's own file, and
its ``github.base_url`` would choose where the workflow's token is sent.
"""

from __future__ import annotations

import pytest

from opsrepo import model as m
from opsrepo.cli.actions import github_api

CONFIGURED = m.Org(name="Kestrel", timezone="UTC", src=m.Src(None), github_base_url="https://ghes.example/api/v3")
PLAIN = m.Org(name="Kestrel", timezone="UTC", src=m.Src(None))


@pytest.mark.parametrize(("option", "org", "env", "expected"), [
    ("https://flag.example/api/v3", CONFIGURED, "https://env.example", "https://flag.example/api/v3"),
    (None, CONFIGURED, "https://env.example", "https://env.example"),
    (None, CONFIGURED, "", None),
    (None, PLAIN, "https://env.example", "https://env.example"),
    (None, PLAIN, "", None),
])
def test_the_flag_then_the_runners_variable_never_opsrepo_yaml(option: str | None, org: m.Org, env: str,
                                                          expected: str | None,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_API_URL", env)
    assert github_api(option, org) == expected
