"""Plain words for what the YAML parser says, and the fix an unquoted ``9:00`` needs where it stands.

libyaml and PyYAML word their errors for people who write parsers
("did not find expected node content"); each is explained here in the terms
of what the author of the file did, and the parser's own words are kept
after it.
"""

from __future__ import annotations

from typing import Any

#: (words the parser's problem starts with or contains, what they usually mean)
PLAIN = (
    ("found character '\\t' that cannot start any token", "a tab is used for indentation"),
    ("found a tab character", "a tab is used for indentation"),
    ("mapping values are not allowed", "a value contains ': ' (a colon and a space); quote the whole value"),
    ("did not find expected ',' or ']'", "a list written [a, b] is not closed with ']', or an item in it "
     "needs quotes"),
    ("did not find expected ',' or '}'", "a mapping written {a: 1} is not closed with '}', or a value in "
     "it needs quotes"),
    ("did not find expected key", "a line is indented differently from the keys beside it, or a value "
     "starting with a quote goes on after the closing quote"),
    ("did not find expected node content", "a value is missing (a list or mapping is left open), or it "
     "starts with a character YAML reserves"),
    ("did not find expected '-' indicator", "a list item is indented differently from the items above it"),
    ("could not find expected ':'", "a key has no ':' after it, or a long text goes on to the next line "
     "without being indented under its key"),
    ("found undefined alias", "an alias (*name) refers to an anchor (&name) that is not defined above it"),
    ("found unexpected end of stream", "a quoted value is never closed: its closing quote is missing"),
    ("found unknown escape character", "a double-quoted value contains a backslash; write \\\\ or use "
     "single quotes"),
    ("block sequence entries are not allowed", "a list item '- ' stands where a value of the same line "
     "was expected; put it on its own line, indented under its key"),
    ("expected <block end>", "a line is indented more or less than the lines of its block"),
    ("expected a comment or a line break", "text follows a closing quote; quote the whole value"),
    ("found character that cannot start any token", "a value starts with a character YAML reserves "
     "(@ or `); quote the value"),
    ("expected alphabetic or numeric character", "a value starts with & or *, which YAML reads as an "
     "anchor or alias; quote the value"),
    ("found duplicate anchor", "two anchors (&name) have the same name"),
)


def explain(problem: str) -> str | None:
    """Plain words for the parser's ``problem``, or None when it is not one of the common ones."""
    for words, meaning in PLAIN:
        if words in problem:
            return meaning
    return None


#: fields that hold a duration (``15m``), by key
DURATION_KEYS = frozenset({
    "escalate_after", "length", "acknowledge_within", "resolve_within", "update_every", "monitor_after_fix",
    "within", "min_rest", "horizon", "notice", "repeat_window", "review_every", "remind_every", "alarms",
})
#: fields that hold a local date-time or a date, by key (a time of day where inside a window)
MOMENT_KEYS = frozenset({"start", "end", "from", "to", "at"})
WINDOW_KEYS = frozenset({"restrictions", "coverage", "windows", "business_hours", "night"})


def unquoted_time_hint(text: str, path: tuple[Any, ...]) -> tuple[str, str]:
    """What ``9:00`` (read as a number) should have been at ``path``: (what it is not, the hint)."""
    key = next((part for part in reversed(path) if isinstance(part, str)), "")
    hours, _, minutes = text.lstrip("+-").partition(":")
    minutes = minutes.split(":")[0]
    if key in DURATION_KEYS:
        if int(minutes or 0):
            return "a duration", f"write a duration such as {int(hours)}h{int(minutes)}m"
        return "a duration", f"write a duration with its unit: {int(hours)}m or {int(hours)}h"
    if key in MOMENT_KEYS and not any(part in WINDOW_KEYS for part in path if isinstance(part, str)):
        return "a date and time", f'write the date and time, quoted: "2026-01-05T{_padded(text)}"'
    if key in MOMENT_KEYS:
        return "a time", f'quote it: "{_padded(text)}"'
    return "text", f'quote it: "{text}"'


def _padded(text: str) -> str:
    return ":".join(part.zfill(2) for part in text.lstrip("+-").split(":"))
