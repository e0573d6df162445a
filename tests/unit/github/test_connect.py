from __future__ import annotations

import pytest

from opsrepo.errors import OpsrepoError, UsageError
from opsrepo.github import check_base_url, check_repo_name, check_token, connect


@pytest.mark.parametrize("token", ["ghp_abc\n", "ghp abc", "", "ghp_\x00"])
def test_a_token_that_cannot_be_a_header_is_refused_without_showing_it(token: str) -> None:
    with pytest.raises(OpsrepoError) as caught:
        check_token(token)
    assert caught.value.message == "GITHUB_TOKEN contains spaces, line breaks or other characters no token has"
    assert token.strip() == "" or token.strip() not in f"{caught.value.message} {caught.value.hint}"


@pytest.mark.parametrize("name", ["ops", "a/b/c", "a b/c", "/ops"])
def test_repository_names_are_owner_slash_name(name: str) -> None:
    with pytest.raises(UsageError, match="is not a GitHub repository name"):
        check_repo_name(name)
    assert check_repo_name("kestrel-eng/ops.v2") == "kestrel-eng/ops.v2"


def test_base_urls() -> None:
    assert check_base_url("https://ghe.example/api/v3/") == "https://ghe.example/api/v3"
    with pytest.raises(UsageError) as caught:
        check_base_url("ghe.example")
    assert caught.value.hint == "use https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server"


def test_connect_makes_no_request() -> None:
    tracker = connect("kestrel-eng/ops", "ghp_x", "http://127.0.0.1:9")
    assert (tracker.repo, tracker.counters.requests) == ("kestrel-eng/ops", 0)
