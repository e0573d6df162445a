"""Regenerate the golden outputs of ``opsrepo validate`` (review the diff!).

    python -m tests.golden.validate.regen
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from click.testing import CliRunner

from opsrepo.cli.main import cli
from tests.helpers import FIXTURES

HERE = Path(__file__).parent
REPO = FIXTURES / "repos" / "invalid" / "mixed"
NOW = "2026-11-23T09:00:00Z"
FORMATS = {"text": "text.txt", "json": "json.json", "github": "github.txt", "sarif": "sarif.json"}


def run(output_format: str, summary: Path | None = None) -> tuple[int, str]:
    """Exit code and stdout of validate on the mixed fixture repo."""
    env = {"OPSREPO_NOW": NOW, "GITHUB_STEP_SUMMARY": str(summary) if summary else ""}
    result = CliRunner().invoke(cli, ["validate", "--repo", str(REPO), "--format", output_format], env=env)
    return result.exit_code, result.stdout


def main() -> None:
    for output_format, name in FORMATS.items():
        code, out = run(output_format)
        assert code == 1, (output_format, code, out)
        (HERE / name).write_text(out, encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        summary = Path(tmp) / "summary.md"
        run("github", summary)
        (HERE / "summary.md").write_text(summary.read_text(encoding="utf-8"), encoding="utf-8")


if __name__ == "__main__":
    main()
