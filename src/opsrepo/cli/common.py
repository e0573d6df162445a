"""What every command shares: --repo, --format, the clock, loading, exit codes."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from opsrepo.errors import Diagnostic, OpsrepoError, Severity, UsageError

if TYPE_CHECKING:
    from opsrepo.instants import Clock

F = TypeVar("F", bound=Callable[..., Any])

#: tests and reproducible builds pin "now" with this variable (an ISO 8601 instant)
NOW_VARIABLE = "OPSREPO_NOW"


def repo_option(function: F) -> F:
    """``--repo DIR`` (default: nearest parent holding opsrepo.yaml)."""
    decorated: F = click.option(
        "--repo", "repo", type=click.Path(file_okay=False, path_type=Path), default=None,
        help="The ops repo (default: the nearest parent directory holding opsrepo.yaml).",
    )(function)
    return decorated


def format_option(*choices: str, default: str = "text") -> Callable[[F], F]:
    """``--format`` with the given choices."""

    def decorate(function: F) -> F:
        decorated: F = click.option(
            "--format", "output_format", type=click.Choice(choices), default=default, show_default=True,
            help="Output format.",
        )(function)
        return decorated

    return decorate


#: ``--at``'s help, the same in every command (the forms are :mod:`opsrepo.instants`')
AT_HELP = ("When: an ISO 8601 instant, a wall time in the --tz zone (2026-06-01T09:00), now, "
           "'tomorrow 09:00', 'today 18:00', 'sat 03:00', +7d, +13h or -2h (default: now).")


def tz_option(function: F) -> F:
    """``--tz ZONE``: the zone times are shown in and naive times are read in."""
    decorated: F = click.option(
        "--tz", "tz", metavar="ZONE", default=None,
        help="IANA zone to show times in and read wall times in (default: $TZ, else the org's zone).",
    )(function)
    return decorated


#: formats meant for others (a pull-request comment, a review issue): shown in --tz, else the org's zone
SHARED_FORMATS = frozenset({"markdown", "md"})


def output_zone(output_format: str, tz: str | None, org_zone: str) -> str | None:
    """The zone output shows instants in (:func:`opsrepo.instants.display_zone`); ``None`` for data.

    ``text``: ``--tz``, else ``$TZ``, else the org's zone. Markdown is read by
    people in many zones (a pull-request comment, a review issue), so ``$TZ``
    (the CI runner's, or one reader's) does not choose it: ``--tz``, else the
    org's zone, named in every time. JSON, CSV and SARIF keep ISO 8601 instants.
    """
    from opsrepo.instants import display_zone

    if output_format == "text":
        return display_zone(tz, os.environ, org_zone)
    if output_format in SHARED_FORMATS:
        return display_zone(tz, {}, org_zone)
    return None


def input_clock(tz: str | None, org_zone: str) -> Clock:
    """The clock a command reads ``--at`` (``--since``, ``--from``...) with: now, and the zone of a wall time.

    The zone is ``--tz``, else ``$TZ``, else the org's (:func:`opsrepo.instants.display_zone`).
    """
    from opsrepo.instants import Clock, display_zone

    return Clock(now(), display_zone(tz, os.environ, org_zone))


def resolve_root(repo: Path | None) -> Path:
    """The ops repo root from ``--repo`` or the working directory."""
    from opsrepo.load.repo import find_root

    if repo is not None:
        if not (repo / "opsrepo.yaml").is_file():
            raise UsageError(f"{repo} is not an ops repo (no opsrepo.yaml)",
                             "pass the root of an ops repo with --repo, or create one with 'opsrepo init'")
        return repo.resolve()
    return find_root(Path.cwd())


def now() -> datetime:
    """The current instant (``$OPSREPO_NOW`` when set), aware."""
    pinned = os.environ.get(NOW_VARIABLE)
    if pinned:
        from opsrepo.timeutil import get_zone, parse_cli_instant

        try:
            value = parse_cli_instant(pinned, get_zone("UTC"))
        except ValueError:
            raise UsageError(f"{NOW_VARIABLE}={pinned!r} is not an ISO 8601 instant",
                             "write e.g. 2026-03-29T09:00:00+02:00") from None
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.now(UTC)


def echo(text: str, *, err: bool = False, kind: str = "text") -> None:
    """Write command output to stdout (``err``: stderr), unbuffered enough for pipes.

    Everything goes through :func:`opsrepo.reporters.logsafe.log_safe` (``kind="json"``:
    ``json_safe``), so text from the repo or from GitHub cannot issue workflow
    commands in a CI log; ``kind="commands"`` is the ``github`` format, whose
    commands are meant and whose data is escaped by its reporter.
    """
    from opsrepo.reporters.logsafe import json_safe, log_safe

    safe = text if kind == "commands" else json_safe(text) if kind == "json" else log_safe(text)
    click.echo(safe, nl=False, err=err)


def kind_of(output_format: str) -> str:
    """How :func:`echo` makes a format safe for CI logs: ``json`` (also SARIF), ``commands``, ``text``."""
    return {"json": "json", "sarif": "json", "github": "commands"}.get(output_format, "text")


def say(text: str) -> None:
    """One line on stderr (a warning, a hint, progress), neutralised like :func:`echo`."""
    echo(text + "\n", err=True)


def warn_if_broken(diagnostics: Iterable[Diagnostic], left_out: str = "left out") -> list[str]:
    """Name the files that failed to load on stderr (what was computed lacks them); return them, sorted.

    ``left_out`` says where they are missing, e.g. ``left out of the report``.
    """
    files = sorted({d.file for d in diagnostics if d.severity is Severity.ERROR})
    if files:
        several = len(files) != 1
        say(f"opsrepo: warning: {len(files)} file{'s' if several else ''} failed to load and "
             f"{'are' if several else 'is'} {left_out}: {', '.join(files)}")
        say("  hint: run 'opsrepo validate' to see what to fix")
    return files


def run_cli(group: click.Group, argv: list[str], debug_env: str | None) -> Any:
    """Invoke ``group``; map click's and internal errors to exit codes (``LazyGroup.invoke`` maps ours)."""
    debug = bool(debug_env) or "--debug" in argv
    try:
        return group.main(args=argv, prog_name="opsrepo", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # the one place internal errors are caught
        if debug:
            import traceback  # only here: it costs a millisecond of every command's start-up

            traceback.print_exc()
        else:
            say(f"opsrepo: internal error: {type(exc).__name__}: {exc}")
            say("  hint: rerun with --debug for the traceback and report it")
        sys.exit(1)


def report_error(exc: OpsrepoError) -> None:
    """The one-line error (and hint) for a failed operation."""
    say(f"opsrepo: error: {exc.message}")
    if exc.hint:
        say(f"  hint: {exc.hint}")
