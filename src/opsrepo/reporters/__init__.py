"""One reporter per output format of ``opsrepo validate``, all fed the same records."""

from __future__ import annotations

from typing import Protocol

from opsrepo.validate import Validation


class Reporter(Protocol):
    """Turns a validation into text for stdout."""

    def render(self, validation: Validation) -> str:
        """The whole output."""


def reporter(name: str) -> Reporter:
    """The reporter for a ``--format`` name."""
    if name == "json":
        from opsrepo.reporters.json import JsonReporter

        return JsonReporter()
    if name == "github":
        from opsrepo.reporters.github import GithubReporter

        return GithubReporter()
    if name == "sarif":
        from opsrepo.reporters.sarif import SarifReporter

        return SarifReporter()
    from opsrepo.reporters.text import TextReporter

    return TextReporter()
