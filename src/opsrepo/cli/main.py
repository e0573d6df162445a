"""The ``opsrepo`` entry point: a group whose commands are imported on demand.

Commands live one per module in this package; importing only the one that
runs keeps ``opsrepo oncall`` fast (no Jinja, PyGithub or GitPython on the
start path).
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

from opsrepo import __version__

#: command name -> module under opsrepo.cli defining a click command ``command``
COMMANDS = {
    "validate": "validate",
    "rules": "rules",
    "schema": "schema",
    "oncall": "oncall",
    "calendar": "calendar",
    "escalate": "escalate",
    "severity": "severity",
    "site": "site",
    "actions": "actions",
    "report": "report",
    "diff": "diff",
    "pr": "pr",
    "init": "init",
    "new": "new",
    "build": "build",
    "swap": "swap",
    "cover": "cover",
    "slack": "slack",
    "notify": "notify",
    "import": "importer",
    "apply": "apply",
}


class LazyGroup(click.Group):
    """Imports a command's module only when that command runs (or help lists it)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """The commands whose modules exist."""
        return sorted(name for name in COMMANDS if self._find(name) is not None)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command named ``cmd_name``, imported now."""
        return self._find(cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; failures the user must fix become one line and an exit code."""
        from opsrepo.cli.common import report_error
        from opsrepo.errors import OpsrepoError

        try:
            return super().invoke(ctx)
        except OpsrepoError as exc:
            report_error(exc)
            ctx.exit(exc.exit_code)

    @staticmethod
    def _find(name: str) -> click.Command | None:
        module_name = COMMANDS.get(name)
        if module_name is None:
            return None
        try:
            module = importlib.import_module(f"opsrepo.cli.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"opsrepo.cli.{module_name}":
                return None  # not built yet
            raise
        command: click.Command = module.command
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="opsrepo")
@click.option("--debug", is_flag=True, envvar="OPSREPO_DEBUG", help="Show tracebacks of internal errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """On-call, escalation, runbooks and post-mortems from one git repository."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def main(argv: list[str] | None = None) -> Any:
    """Run the CLI; internal errors print one line (tracebacks with --debug)."""
    from opsrepo.cli.common import run_cli

    if argv is not None:
        return run_cli(cli, argv, debug_env=os.environ.get("OPSREPO_DEBUG"))
    try:
        result = run_cli(cli, sys.argv[1:], debug_env=os.environ.get("OPSREPO_DEBUG"))
    except SystemExit as exc:
        result = exc.code
    _exit_now(result)


def _exit_now(code: Any) -> None:
    """Leave the process like ``sys.exit(code)``, without tearing the heap down object by object.

    A large repo's model is millions of objects; freeing them one by one at
    exit costs a tenth of a second and saves nothing (as mypy does, the
    process flushes its output and ends).
    """
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        code = code or 1
    os._exit(code or 0)
