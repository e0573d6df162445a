from __future__ import annotations

from datetime import timedelta

from opsrepo.diff.model import Move, PersonRef, RepoDiff, ScheduleDiff, Side
from opsrepo.diff.text import render_text
from tests.unit.diff.repos import NOW


def test_names_cannot_break_lines_or_send_escapes() -> None:
    # a new line starting with :: would be a workflow command in a GitHub Actions log
    mallory = PersonRef("mallory", "Mal\n::error::spoofed\x1b[31m\r\u2028lory")
    move = Move(NOW + timedelta(days=10), NOW + timedelta(days=11), PersonRef("ana", "Ana\tSilva"), mallory)
    schedule = ScheduleDiff("core-primary", "Core\nprimary", "UTC", "changed", (move,))
    diff = RepoDiff(Side("base"), Side("head"), NOW, NOW + timedelta(days=60), timedelta(days=7),
                    schedules=(schedule,))
    assert render_text(diff) == (
        "opsrepo diff: base \u2192 head\n"
        "compared 2026-11-23 09:00 UTC to 2027-01-22 09:00 UTC (60 days); notice period 7 days\n"
        "\n"
        "Moved turns\n"
        "  Core primary (core-primary): 1 moved turn, times in UTC\n"
        "    Thu 2026-12-03 09:00 to Fri 2026-12-04 09:00  Ana Silva \u2192 Mal ::error::spoofed [31m  lory\n"
    )
