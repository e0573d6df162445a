r"""Output that reaches a CI job log cannot issue workflow commands.

GitHub's runner reads every line a step prints: a line that starts with
``::`` after leading white space is a workflow command (``::warning
file=…::``, ``::add-mask::``, ``::stop-commands::``), and ``##[`` anywhere in
a line is the legacy form (the log viewer also shows a line starting
``##[error]`` as an error). opsrepo prints text from the repo — names,
titles, links, whole source lines — and text from GitHub (issue titles), so
all of it goes through here on its way out:

- control characters other than tab and newline are written as escapes
  (``\r`` would end a line for the runner, which reads ``\r`` as a line
  break);
- a line whose first non-blank characters are ``::`` gets a WORD JOINER
  (U+2060, invisible) between the colons, and every ``##[`` one between the
  hashes: the text reads the same, the runner no longer matches it;
- JSON keeps its values: ``##[`` becomes ``##\u005b`` inside its strings, and
  no JSON line can start with ``::``.

The ``github`` output format writes workflow commands on purpose; it escapes
the data and properties of each command instead (see :mod:`.github`).
"""

from __future__ import annotations

import re

#: control characters a log line must not hold raw (tab and newline are kept)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
JOINER = "\u2060"
_COMMAND_START = re.compile(r"^(\s*):(?=:)", re.MULTILINE)


def log_safe(text: str) -> str:
    """``text`` with no line a CI runner reads as a workflow command."""
    if _CONTROL.search(text):
        text = _CONTROL.sub(_escape, text)
    if "::" in text:
        text = _COMMAND_START.sub(r"\1:" + JOINER, text)
    return text.replace("##[", "#" + JOINER + "#[")


def json_safe(text: str) -> str:
    """JSON text with the same values and no ``##[`` (which can only be inside its strings)."""
    return text.replace("##[", "##\\u005b")


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    return {"\r": "\\r", "\x0b": "\\v", "\x0c": "\\f"}.get(char) or f"\\u{ord(char):04x}"
