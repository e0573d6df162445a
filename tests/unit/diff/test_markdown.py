from __future__ import annotations

from datetime import timedelta

import pytest

from opsrepo.diff.markdown import code, escape, render_markdown
from opsrepo.diff.model import Load, Move, PersonDelta, PersonRef, RepoDiff, ScheduleDiff, Side
from tests.unit.diff.repos import NOW


@pytest.mark.parametrize(("text", "escaped"), [
    ("Ana Silva", "Ana Silva"),
    ("a|b", "a\\|b"),
    ("<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>"),
    ("@everyone", "&#64;everyone"),
    ("&#64;sneaky", "&amp;#64;sneaky"),
    ("*bold* _it_ `code` [link](x) ~~s~~", "\\*bold\\* \\_it\\_ \\`code\\` \\[link\\](x) \\~\\~s\\~\\~"),
    ("two\nlines\t here", "two lines here"),
    ("back\\slash", "back\\\\slash"),
])
def test_escape(text: str, escaped: str) -> None:
    assert escape(text) == escaped


def test_code_spans_cannot_be_closed_early() -> None:
    assert code("HEAD~1 `x`") == "`HEAD~1 'x'`"


def person(pid: str, github: str | None = None) -> PersonRef:
    return PersonRef(pid, pid.title(), github)


def big_diff(count: int, people: tuple[PersonRef, ...] = ()) -> RepoDiff:
    ana, ben = people or (person("ana", "ana-gh"), person("ben"))
    moves = tuple(Move(NOW + timedelta(days=i), NOW + timedelta(days=i + 1), ana if i % 2 else ben,
                       ben if i % 2 else ana) for i in range(count))
    schedule = ScheduleDiff("core-primary", "Core primary", "UTC", "changed", moves)
    return RepoDiff(Side("base"), Side("head"), NOW, NOW + timedelta(days=count), timedelta(days=7),
                    schedules=(schedule,))


def test_long_tables_are_cut_to_fit_the_limit() -> None:
    diff = big_diff(300)
    full = render_markdown(diff)
    assert full.count("\n| ") == 302  # header, separator and every move
    cut = render_markdown(diff, limit=5000)
    assert len(cut) <= 5000
    assert cut.count("\n| ") == 52  # header, separator and the first 50 moves
    assert "_\u2026 and 250 more; run `opsrepo diff` for all of them._" in cut


def test_a_document_too_long_even_without_tables_is_cut_at_a_line() -> None:
    cut = render_markdown(big_diff(300), limit=200)
    assert len(cut) <= 200
    assert cut.endswith("\n\n_\u2026 cut to fit; run `opsrepo diff` for the rest._\n")


def test_mentions_only_valid_logins() -> None:
    people = (person("ana", "ana-gh"), PersonRef("ben", "Ben @x", "not a login!"))
    text = render_markdown(big_diff(2, people), mention=True)
    assert text.endswith("\n\ncc @ana-gh, Ben &#64;x: your on-call turns change with this pull request; "
                         "please review.\n")
    assert "cc " not in render_markdown(big_diff(2, people))


def test_nothing_changed() -> None:
    diff = RepoDiff(Side("main (1a2b3c4)"), Side("working tree"), NOW, NOW + timedelta(days=60), timedelta(days=7))
    assert render_markdown(diff, mention=True) == (
        "### On-call preview\n\n"
        "Comparing `main (1a2b3c4)` with `working tree`, 2026-11-23 09:00 UTC to 2027-01-22 09:00 UTC "
        "(60 days).\n\n"
        "No change to who is on call, escalation chains, severity levels, action items or alert rules.\n"
    )


def test_load_problems_are_called_out() -> None:
    diff = RepoDiff(Side("base"), Side("working tree", problems=2), NOW, NOW + timedelta(days=1), timedelta(days=7))
    assert "> [!CAUTION]\n> `working tree` has 2 load errors; the files that failed are left out." in (
        render_markdown(diff))


def crowd_diff(count: int) -> RepoDiff:
    """``count`` people each lose a turn to the next, all within the notice period."""
    people = tuple(PersonRef(f"p{i:03}", f"Person {i:03}", f"user-{i:03}") for i in range(count + 1))
    moves = tuple(Move(NOW + timedelta(hours=i), NOW + timedelta(hours=i + 1), people[i], people[i + 1], True)
                  for i in range(count))
    schedule = ScheduleDiff("core-primary", "Core primary", "UTC", "changed", moves)
    deltas = tuple(PersonDelta(p, Load(hours=1), Load()) for p in people)
    return RepoDiff(Side("base"), Side("head"), NOW, NOW + timedelta(days=60), timedelta(days=7),
                    schedules=(schedule,), people=deltas)


def test_warnings_and_people_are_cut_like_the_tables() -> None:
    text = render_markdown(crowd_diff(200), limit=10000)
    assert len(text) <= 10000
    assert "> 200 turns move within the notice period (7 days):\n" in text
    assert text.count("\n> - **Core primary**: ") == 20
    assert "\n> - \u2026 and 180 more; run `opsrepo diff` for all of them\n" in text
    assert text.count("\n| Person ") == 20
    assert "\n_\u2026 and 181 more people; run `opsrepo diff` for all of them._\n" in text


def test_mentions_survive_any_cut_and_stop_at_fifty() -> None:
    mention = ("cc " + ", ".join(f"@user-{i:03}" for i in range(50)) + ", and 151 more people: your on-call "
               "turns change with this pull request; please review.\n")
    for limit in (60000, 5000, 1000):
        text = render_markdown(crowd_diff(200), mention=True, limit=limit)
        assert len(text) <= limit
        assert text.endswith("\n\n" + mention), limit
    assert render_markdown(crowd_diff(200), mention=True, limit=1000).endswith(
        "\n\n_\u2026 cut to fit; run `opsrepo diff` for the rest._\n\n" + mention)


def test_a_change_nobody_is_affected_by_ends_without_a_mention() -> None:
    diff = RepoDiff(Side("base"), Side("head"), NOW, NOW + timedelta(days=1), timedelta(days=7),
                    people=(PersonDelta(PersonRef("ana", "Ana"), Load(hours=1), Load()),))
    text = render_markdown(diff, mention=True)
    assert text.endswith("| Ana | 1 \u2192 0 (\u22121) | 0 | 0 | 0 | 0 |\n")
