"""What every figure of the report means: written once, printed in the report's footer and the README."""

from __future__ import annotations

#: (term, definition) in the order the report shows its sections
DEFINITIONS: tuple[tuple[str, str], ...] = (
    ("Period",
     "An incident belongs to the period when it started in [since, until). Months are calendar months "
     "in the organisation's timezone (opsrepo.yaml `timezone`). By default the period is the last 12 "
     "calendar months, the current one included, up to now; it never extends past now."),
    ("MTTD", "Time to detect: timeline `started` → `detected`."),
    ("MTTA", "Time to acknowledge: `detected` → `acknowledged`."),
    ("Time to mitigate", "`started` → `mitigated`."),
    ("MTTR", "Time to resolve: `started` → `resolved`."),
    ("Missing",
     "An incident without one of a measure's two instants (or with them out of order) is left out of "
     "that measure and counted as missing."),
    ("Median, p90, mean",
     "Percentiles interpolate linearly between the closest ranks (numpy's default, type 7): the p-th "
     "percentile of n sorted values sits at zero-based rank (n − 1) × p. The median is the 50th "
     "percentile, so with an even count it is the mean of the two middle values. Durations are rounded "
     "to the second."),
    ("Targets",
     "MTTA is held against the severity's `acknowledge_within` and MTTR against its `resolve_within`; "
     "an incident misses a target when its time is strictly longer. Acknowledgement is counted from "
     "detection, not from the start: the target is a promise of the on-call responder, nobody can "
     "acknowledge an incident no alert or person has noticed, and PagerDuty and Opsgenie also start "
     "that clock when the alert triggers. Slow detection shows in MTTD instead of being blamed on "
     "responders. Resolution is counted from the start because that is how long customers were hurt."),
    ("Trend",
     "Incidents in the last 3 complete months against the 3 complete months before them; months the "
     "period only partly covers are left out. Shown once the period has 6 complete months."),
    ("Repeat incident",
     "An incident that started at most `postmortems.repeat_window` (default 180d) after an earlier "
     "incident with the same `root_cause.category`, or that lists an earlier incident in `related`. "
     "Incidents joined by repeats form a chain; every chain with a repeat in the period is listed, with "
     "its earlier members. Repeat rate: repeat incidents over incidents in the period."),
    ("Action items",
     "The items of the period's post-mortems. Their state comes from the status file written by "
     "`opsrepo actions sync` (status/actions.json), as of the period's end (an item closed later was "
     "open then); it is unknown without that file or for an item it does not list. Completion: closed "
     "over closed + open. Time to close: from the incident's `resolved` to the issue's closing. Closed "
     "on time: closed on or before its due date. Overdue: not closed and due before the period's last "
     "day, from any post-mortem up to the period's end."),
    ("Post-mortem timeliness",
     "The deadline is the date of the incident's `resolved` plus the severity's `postmortem.within`. "
     "on-time: published by the deadline; late: published after it; overdue: not published and the "
     "deadline has passed; pending: not published, deadline still ahead; not-required: the severity "
     "needs no post-mortem. Days to publish: `published` date minus the `resolved` date."),
    ("On-call load",
     "From the final schedules (layers, overrides, time-off cover) over the period, as the schedule "
     "files now define them: past turns are recomputed, so end a layer instead of rewriting it to keep "
     "history true. Hours: time on call; time on two schedules at once counts once. Turns: unbroken "
     "stretches on call in one schedule. Night hours: time between 22:00 and 06:00 on the person's "
     "clock; nights: such nights with any time on call. Weekend days and holidays: Saturdays and "
     "Sundays, and public holidays of the person's country (the `holidays` package), with any time on "
     "call. These are the engine's own counts, the ones the fairness and burnout checks judge. Team "
     "load: the sums over everyone who held the team's schedules in the period, people from other teams "
     "covering by override included (a person's time on two of them at once counts once). Spread: "
     "largest minus smallest among the rotation members of a team's schedules, counting only those "
     "schedules (holidays only among members with a country)."),
    ("Runbook review",
     "Due on the last review (front matter `reviewed`, else the last git change when known) plus "
     "`review_every` (the runbook's, else opsrepo.yaml's); overdue when due before the period's last "
     "day. Runbooks with no known review date are listed apart."),
)


def definitions_markdown() -> str:
    """The definitions as a Markdown list (the report footer and the README section)."""
    return "".join(f"- **{term}**: {text}\n" for term, text in DEFINITIONS)
