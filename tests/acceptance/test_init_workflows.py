"""The workflows ``opsrepo init`` writes are the project's own, byte for byte.

The project root is itself an ops repo (and a GitHub template); its
``.github/workflows`` are the reference. ``opsrepo init`` ships copies as
package data and only swaps ``pip install .`` for the released package. When
a root workflow changes, refresh the copies and review the diff:

    python -m tests.acceptance.test_init_workflows
"""

from __future__ import annotations

import shutil

import pytest

from opsrepo.scaffold.init import adapt_workflow
from tests.helpers import ROOT

ROOT_WORKFLOWS = ROOT / ".github" / "workflows"
COPIES = ROOT / "src" / "opsrepo" / "scaffold" / "templates" / "init" / "dot-github" / "workflows"
SHIPPED = sorted(p.name for p in COPIES.glob("*.yml"))


def test_init_ships_the_five_workflows() -> None:
    assert SHIPPED == ["actions.yml", "pr-comment.yml", "pr.yml", "site.yml", "validate.yml"]


@pytest.mark.parametrize("name", SHIPPED)
def test_the_copy_is_the_root_workflow(name: str) -> None:
    reference = ROOT_WORKFLOWS / name
    if not reference.is_file():
        pytest.skip(f"the project has no .github/workflows/{name} yet; the scaffold's copy is the only one")
    assert (COPIES / name).read_text(encoding="utf-8") == reference.read_text(encoding="utf-8")


def test_only_the_install_step_is_adapted() -> None:
    text = "steps:\n      - name: Install opsrepo\n        run: pip install .\n      - run: pip install .[test]\n"
    assert adapt_workflow(text, "1.2.3") == (
        'steps:\n      - name: Install opsrepo\n        run: pip install "opsrepo==1.2.3"\n'
        "      - run: pip install .[test]\n")


def main() -> None:
    for name in SHIPPED:
        if (ROOT_WORKFLOWS / name).is_file():
            shutil.copyfile(ROOT_WORKFLOWS / name, COPIES / name)
            print(f"refreshed {(COPIES / name).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
