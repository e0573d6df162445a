"""``opsrepo import pagerduty|opsgenie``: a vendor account to ops-repo files, a report, and the proof."""

from __future__ import annotations

import os
from pathlib import Path

import click

from opsrepo.cli.common import echo, now

READABLE_DIR = click.Path(exists=True, file_okay=False, readable=True, path_type=Path)
OUT_DIR = click.Path(file_okay=False, path_type=Path)


def _common(function: click.decorators.FC) -> click.decorators.FC:
    for option in reversed(
        [
            click.option("--api-url", default=None, help="The vendor's API host (default: its public one)."),
            click.option(
                "--out",
                type=OUT_DIR,
                default=None,
                help="Where the ops repo is written (default: the current directory).",
            ),
            click.option(
                "--verify-days",
                type=click.IntRange(0, 366),
                default=28,
                show_default=True,
                help="Compare opsrepo's final schedules with the vendor's over this many days (0: skip).",
            ),
            click.option("--force", is_flag=True, help="Rewrite files that exist and would change."),
            click.option(
                "--format",
                "output_format",
                type=click.Choice(["text", "json"]),
                default="text",
                show_default=True,
                help="The report on stdout: Markdown text or JSON.",
            ),
        ]
    ):
        function = option(function)
    return function


@click.group("import")
def command() -> None:
    """Import a PagerDuty or Opsgenie account as ops-repo files, a report, and a check against the vendor."""


@command.command("pagerduty")
@_common
@click.option(
    "--from-dir", type=READABLE_DIR, default=None, help="Import a folder --save-dir wrote (offline)."
)
@click.option("--save-dir", type=OUT_DIR, default=None, help="Keep the raw API JSON in this folder.")
def pagerduty(
    api_url: str | None,
    out: Path | None,
    verify_days: int,
    force: bool,
    output_format: str,
    from_dir: Path | None,
    save_dir: Path | None,
) -> None:
    """Import from PagerDuty (token from $PAGERDUTY_TOKEN)."""
    _run("pagerduty", "PAGERDUTY_TOKEN", api_url, from_dir, save_dir, out, verify_days, force, output_format)


@command.command("opsgenie")
@_common
@click.option(
    "--region",
    type=click.Choice(["us", "eu"]),
    default="us",
    show_default=True,
    help="Opsgenie's US or EU API host (when --api-url is not given).",
)
@click.option(
    "--from-backup",
    type=READABLE_DIR,
    default=None,
    help="Import the folder Opsgenie's configuration-backup tool wrote (offline).",
)
def opsgenie(
    api_url: str | None,
    out: Path | None,
    verify_days: int,
    force: bool,
    output_format: str,
    region: str,
    from_backup: Path | None,
) -> None:
    """Import from Opsgenie (key from $OPSGENIE_API_KEY)."""
    from opsrepo.vendors.opsgenie import HOSTS

    _run(
        "opsgenie",
        "OPSGENIE_API_KEY",
        api_url or HOSTS[region],
        from_backup,
        None,
        out,
        verify_days,
        force,
        output_format,
        explicit_url=api_url is not None,
    )


def _run(
    vendor: str,
    variable: str,
    api_url: str | None,
    source: Path | None,
    save_dir: Path | None,
    out: Path | None,
    verify_days: int,
    force: bool,
    output_format: str,
    explicit_url: bool = True,
) -> None:
    from opsrepo.errors import UsageError
    from opsrepo.vendors.run import ImportRequest, check_url, run

    token = os.environ.get(variable) or None
    if source is not None and explicit_url and api_url:
        raise UsageError(
            "give either an API (--api-url) or a folder, not both",
            "a folder is imported offline; drop --api-url",
        )
    if source is None:
        if token is None:
            raise UsageError(
                f"${variable} is not set",
                f"export {variable}=... (read access), or import a saved folder instead",
            )
        api_url = check_url(api_url) if api_url else None
    outcome = run(
        ImportRequest(vendor, now(), out or Path.cwd(), token, api_url, source, save_dir, verify_days, force)
    )
    echo(outcome.text(output_format))
    raise SystemExit(outcome.exit_code)
