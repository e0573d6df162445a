"""Retries, waits and errors of every request, against the fake GitHub over real HTTP."""

from __future__ import annotations

import pytest

from opsrepo.actions.tracker import TrackerError
from opsrepo.github import connect
from opsrepo.github.tracker import GitHubTracker
from opsrepo.github.transport import NotFound, Rejected, Uncertain, next_link
from tests.fakegithub import TOKEN, FakeGitHub, Fault

pytest_plugins = ["tests.fakegithub.fixtures"]

ISSUES = "/repos/kestrel-eng/ops/issues"


@pytest.fixture
def tracker(fake_github: FakeGitHub) -> GitHubTracker:
    return connect("kestrel-eng/ops", TOKEN, fake_github.url, clock=fake_github.clock)


def get(tracker: GitHubTracker, path: str = ISSUES) -> object:
    return tracker.transport.request("GET", path).data


def test_requests_carry_the_token_api_version_and_user_agent(fake_github: FakeGitHub,
                                                             tracker: GitHubTracker) -> None:
    assert get(tracker) == []
    [request] = fake_github.log
    assert request.headers["authorization"] == "***"
    assert request.headers["x-github-api-version"] == "2022-11-28"
    assert request.headers["user-agent"].startswith("opsrepo/")
    assert tracker.counters.requests == 1 and tracker.counters.writes == 0


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_read_is_retried_on_5xx_with_growing_waits(fake_github: FakeGitHub, tracker: GitHubTracker,
                                                      status: int) -> None:
    fake_github.inject(Fault("status", status, times=3))
    assert get(tracker) == []
    assert [r.status for r in fake_github.log] == [status, status, status, 200]
    assert fake_github.clock.sleeps == [1.0, 2.0, 4.0]


def test_a_read_that_keeps_failing_gives_up_after_five_attempts(fake_github: FakeGitHub,
                                                                 tracker: GitHubTracker) -> None:
    fake_github.inject(Fault("status", 502, times=99))
    with pytest.raises(TrackerError) as caught:
        get(tracker)
    assert caught.value.message == f"GitHub failed 5 times on GET {ISSUES}: 502 Server Error"
    assert caught.value.hint == "GitHub may be having an incident (https://www.githubstatus.com); try again later"
    assert fake_github.clock.sleeps == [1.0, 2.0, 4.0, 8.0]
    assert len(fake_github.log) == 5


def test_a_lost_answer_to_a_read_is_retried(fake_github: FakeGitHub, tracker: GitHubTracker) -> None:
    fake_github.inject(Fault("drop", times=2))
    assert get(tracker) == []
    assert [r.answered for r in fake_github.log] == [False, False, True]


def test_a_create_that_may_have_happened_is_not_retried_blindly(fake_github: FakeGitHub,
                                                                 tracker: GitHubTracker) -> None:
    fake_github.inject(Fault("status", 502, before=False))
    with pytest.raises(Uncertain, match=f"POST {ISSUES}: 502 Server Error"):
        tracker.transport.request("POST", ISSUES, body={"title": "x"})
    assert len(fake_github.repo.issues) == 1
    assert len(fake_github.log) == 1


@pytest.mark.parametrize("status", [403, 429])
def test_a_secondary_limit_is_waited_out_as_retry_after_says(fake_github: FakeGitHub, tracker: GitHubTracker,
                                                              status: int) -> None:
    fake_github.inject(Fault("secondary", status, retry_after=37, method="POST"))
    tracker.transport.request("POST", ISSUES, body={"title": "x"})
    assert [r.status for r in fake_github.log] == [status, 201]
    assert fake_github.clock.sleeps == [37.0]
    assert len(fake_github.repo.issues) == 1


def test_a_secondary_limit_without_retry_after_waits_a_minute_then_longer(fake_github: FakeGitHub,
                                                                           tracker: GitHubTracker) -> None:
    fake_github.inject(Fault("secondary", 403, retry_after=None, times=2))
    assert get(tracker) == []
    assert fake_github.clock.sleeps == [60.0, 120.0]


def test_an_exhausted_primary_limit_waits_for_the_reset(fake_github: FakeGitHub, tracker: GitHubTracker) -> None:
    fake_github.rate.remaining = 1
    fake_github.rate.reset = fake_github.clock.now() + 120
    assert get(tracker) == []
    assert get(tracker) == []  # the headers said 0 left: the pacer waits before asking
    assert fake_github.clock.sleeps == [121.0]
    assert [r.status for r in fake_github.log] == [200, 200]


def test_a_primary_limit_refusal_waits_for_the_reset_it_names(fake_github: FakeGitHub,
                                                              tracker: GitHubTracker) -> None:
    fake_github.rate.remaining = 0
    fake_github.rate.reset = fake_github.clock.now() + 300
    assert get(tracker) == []
    assert [r.status for r in fake_github.log] == [403, 200]
    assert fake_github.clock.sleeps == [301.0]


def test_a_limit_too_far_away_stops_with_when_to_come_back(fake_github: FakeGitHub) -> None:
    tracker = connect("kestrel-eng/ops", TOKEN, fake_github.url, clock=fake_github.clock, max_wait=600)
    fake_github.rate.remaining = 0
    fake_github.rate.reset = fake_github.clock.now() + 3000
    with pytest.raises(TrackerError) as caught:
        get(tracker)
    assert caught.value.message == ("waiting for GitHub's rate limit (it asked to wait) would take 3001 s "
                                    "(until 2026-11-23 09:50:01 UTC)")
    assert caught.value.hint == "run the command again after that time, or allow a longer wait with --max-wait"
    assert fake_github.clock.sleeps == []


def test_bad_credentials(fake_github: FakeGitHub) -> None:
    tracker = connect("kestrel-eng/ops", "ghp_wrong", fake_github.url, clock=fake_github.clock)
    with pytest.raises(TrackerError) as caught:
        get(tracker)
    assert (caught.value.message, caught.value.hint) == (
        "GitHub rejected the token (401 Bad credentials)", "check GITHUB_TOKEN: it may be mistyped, expired or revoked")


def test_not_found_and_validation_errors_are_typed(tracker: GitHubTracker) -> None:
    with pytest.raises(NotFound, match=f"GET {ISSUES}/9: 404 Not Found"):
        get(tracker, f"{ISSUES}/9")
    tracker.transport.request("POST", "/repos/kestrel-eng/ops/labels", body={"name": "x"})
    with pytest.raises(Rejected) as caught:
        tracker.transport.request("POST", "/repos/kestrel-eng/ops/labels", body={"name": "X"})
    assert caught.value.code() == "already_exists"
    assert caught.value.message == "GitHub refused POST /repos/kestrel-eng/ops/labels: Validation Failed"


def test_a_forbidden_write_says_what_access_the_token_needs(fake_github: FakeGitHub,
                                                            tracker: GitHubTracker) -> None:
    fake_github.inject(Fault("status", 403, method="PATCH"))
    with pytest.raises(TrackerError) as caught:
        tracker.transport.request("PATCH", f"{ISSUES}/1", body={})
    assert caught.value.message == f"GitHub refused PATCH {ISSUES}/1: 403 Server Error"
    assert caught.value.hint is not None and "issues: write" in caught.value.hint


def test_link_headers() -> None:
    header = ('<https://api.github.com/repositories/1/issues?page=2>; rel="next", '
              '<https://api.github.com/repositories/1/issues?page=5>; rel="last"')
    assert next_link(header) == "https://api.github.com/repositories/1/issues?page=2"
    assert next_link('<https://x/?page=1>; rel="prev"') is None
    assert next_link(None) is None
