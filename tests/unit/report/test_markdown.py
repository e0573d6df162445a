"""Markdown output: text from the ops repo can never become markup, links or mentions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from opsrepo.report.blocks import Bullets, Heading, Link, Para, Table, human, number, percent
from opsrepo.report.markdown import escape, render_markdown
from opsrepo.report.text import render_text


@pytest.mark.parametrize(("text", "expected"), [
    ("plain words", "plain words"),
    ("a | b", r"a \| b"),
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("[click](javascript:alert(1))", r"\[click\](javascript:alert(1))"),
    ("ping @kestrel-eng/sre", "ping @&#8205;kestrel-eng/sre"),
    ("fixes #12", r"fixes \#12"),
    ("*bold* _it_ `code` ~~x~~", r"\*bold\* \_it\_ \`code\` \~\~x\~\~"),
    ("two\nlines", "two lines"),
    ("a &amp; b", "a &amp;amp; b"),
    (r"back\slash", r"back\\slash"),
])
def test_escape(text: str, expected: str) -> None:
    assert escape(text) == expected


def test_blocks_render_to_markdown() -> None:
    blocks = [
        Heading(2, "Overdue"),
        Para("Two items."),
        Bullets(("one", "two")),
        Table(("Item", "Days"), (
            (Link("Fix | it", "https://github.com/o/r/issues/1"), "3"),
            (Link("Bad link", "javascript:alert(1)"), "12"),
        ), frozenset({1})),
    ]
    assert render_markdown(blocks) == (
        "## Overdue\n\nTwo items.\n\n- one\n- two\n\n"
        "| Item | Days |\n| --- | ---: |\n"
        "| [Fix \\| it](https://github.com/o/r/issues/1) | 3 |\n"
        "| Bad link | 12 |\n"
    )


def test_blocks_render_to_text() -> None:
    blocks = [Heading(2, "Overdue"), Table(("Item", "Days"), ((Link("Fix it", "https://x"), "3"), ("Other", "12")),
                                          frozenset({1}))]
    assert render_text(blocks) == (
        "Overdue\n-------\n\n"
        "Item    Days\n------  ----\nFix it     3\nOther     12\n"
    )


def test_human_durations() -> None:
    assert [human(timedelta(seconds=s)) for s in (0, 45, 89, 90, 3600, 5400, 90000)] == [
        "0s", "45s", "1m", "2m", "1h", "1h30m", "1d1h"]
    assert human(None) == "—"


def test_numbers_and_percentages() -> None:
    assert [number(v) for v in (12, 12.0, 12.5, 12.04, None)] == ["12", "12", "12.5", "12", "—"]
    assert [percent(v) for v in (0.142857, 1, None)] == ["14%", "100%", "—"]


def test_our_paragraphs_keep_their_code_spans() -> None:
    assert render_markdown([Para("Run `opsrepo actions sync` to track *them*.")]) == (
        "Run `opsrepo actions sync` to track \\*them\\*.\n")
