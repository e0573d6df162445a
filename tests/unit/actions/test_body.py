from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest

from opsrepo.actions.body import (
    escape,
    issue_body,
    issue_title,
    marker,
    parse_marker,
    reminder_comment,
    removal_comment,
)
from tests.unit.actions.build import spec


def test_marker_round_trips() -> None:
    key = ("2026-03-14-payments-db-pool", "alert-db-cpu")
    assert marker(key) == "<!-- opsrepo:action postmortem=2026-03-14-payments-db-pool item=alert-db-cpu -->"
    assert parse_marker(f"text before\n{marker(key)}\ntext after") == key


@pytest.mark.parametrize("body", [
    None, "", "no marker", "<!-- opsrepo:action postmortem=x -->",
    "<!-- opsrepo:action postmortem=Upper item=x -->", "<!-- opsrepo:action postmortem=a item=b c -->",
    "\\<!-- opsrepo:action postmortem=a item=b --\\>",
])
def test_bodies_without_a_valid_marker_are_not_ours(body: str | None) -> None:
    assert parse_marker(body) is None


def test_the_first_marker_wins() -> None:
    assert parse_marker(marker(("a", "b")) + "\n" + marker(("c", "d"))) == ("a", "b")


def test_escape_neutralises_mentions_links_html_and_references() -> None:
    assert escape("Ping @alice about #12, see [x](http://evil) <img src=x> *now*") == (
        "Ping \\@alice about \\#12, see \\[x\\]\\(http\\://evil\\) \\<img src=x\\> \\*now\\*")


def test_escaped_text_cannot_forge_a_marker() -> None:
    forged = escape(marker(("other-pm", "other-item")))
    assert parse_marker(forged) is None


def test_escape_joins_lines() -> None:
    assert escape("two\nlines\r\n  here") == "two lines here"


def test_titles_are_one_line_and_at_most_256_characters() -> None:
    assert issue_title("Alert on\nDB CPU") == "Alert on DB CPU"
    long = issue_title("x" * 300)
    assert len(long) == 256 and long.endswith("…")
    assert issue_title("y" * 256) == "y" * 256


def test_issue_body_in_full() -> None:
    assert issue_body(spec(), "Ben Okafor (`ben-okafor`)") == """\
<!-- opsrepo:action postmortem=2026-10-01-api-outage item=canary -->
Action item `canary` of the post-mortem **API outage after a bad deploy** ([on the site](https://ops.example/postmortems/2026-10-01-api-outage.html) · [in the repo](https://github.example/kestrel-eng/ops/blob/main/postmortems/2026-10-01-api-outage.md)).

- **Due:** 2026-12-01
- **Owner:** Ben Okafor (`ben-okafor`)
- **Priority:** high
- **Kind:** prevent
- **Severity:** SEV2 (Major)
- **Services:** Public API (`api`)
- **Incident:** started 2026-10-01 10:00 UTC

This issue is kept in step with the post-mortem by `opsrepo actions sync`: change the title, owner or due date there (edits to this description are overwritten). Close the issue when the work is done; the sync never reopens it.
"""


def test_issue_body_without_site_or_repo_url_names_the_file() -> None:
    body = issue_body(replace(spec(), site_url=None, source_url=None, severity_name=None, services=(("api", "api"),)),
                      "x")
    assert body == """\
<!-- opsrepo:action postmortem=2026-10-01-api-outage item=canary -->
Action item `canary` of the post-mortem **API outage after a bad deploy** (`postmortems/2026-10-01-api-outage.md`).

- **Due:** 2026-12-01
- **Owner:** x
- **Priority:** high
- **Kind:** prevent
- **Severity:** SEV2
- **Services:** `api`
- **Incident:** started 2026-10-01 10:00 UTC

This issue is kept in step with the post-mortem by `opsrepo actions sync`: change the title, owner or due date there (edits to this description are overwritten). Close the issue when the work is done; the sync never reopens it.
"""


def test_the_incident_start_is_shown_in_utc_whatever_offset_the_post_mortem_wrote() -> None:
    # the same instant as spec()'s 10:00 UTC, so the same body ("started 2026-10-01 10:00 UTC")
    started = datetime(2026, 10, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    assert issue_body(replace(spec(), started=started), "x") == issue_body(spec(), "x")


def test_removal_comment_for_a_removed_item_and_for_a_removed_postmortem() -> None:
    key = ("2026-10-01-api-outage", "canary")
    assert removal_comment(key, "postmortems/2026-10-01-api-outage.md", "https://x/pm.md") == (
        "<!-- opsrepo:removed -->\nThe action item `canary` is no longer in the post-mortem "
        "[`postmortems/2026-10-01-api-outage.md`](https://x/pm.md) (removed, or its id changed). opsrepo no longer "
        "updates this issue and never closes it: close it if the work is no longer needed.\n")
    assert removal_comment(key, None, None) == (
        "<!-- opsrepo:removed -->\nThe post-mortem `2026-10-01-api-outage` is no longer in the ops repo (removed, "
        "or its id changed). opsrepo no longer updates this issue and never closes it: close it if the work is "
        "no longer needed.\n")


def test_reminder_mentions_the_assignee_and_counts_days() -> None:
    assert reminder_comment(date(2026, 11, 1), date(2026, 11, 23), "ben-okafor", "postmortems/x.md") == (
        "<!-- opsrepo:reminder -->\nThis action item was due on **2026-11-01** (22 days ago) and is still open.\n\n"
        "@ben-okafor: please finish it and close this issue, or agree a new due date and change it in "
        "`postmortems/x.md`.\n")
    assert reminder_comment(date(2026, 11, 22), date(2026, 11, 23), None, "postmortems/x.md") == (
        "<!-- opsrepo:reminder -->\nThis action item was due on **2026-11-22** (1 day ago) and is still open.\n\n"
        "It has no assignee: the owner named in the post-mortem cannot be assigned on GitHub. Please find an "
        "owner, or agree a new due date and change it in `postmortems/x.md`.\n")
