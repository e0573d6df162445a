from __future__ import annotations

from opsrepo.diff.actions import action_item_changes
from opsrepo.diff.model import ActionItemChange, FieldChange
from tests.unit.diff.repos import minimal_text, repo

PM = "postmortems/2026-10-01-api-outage.md"
TEXT = minimal_text(PM)
ITEM = "  - {id: canary, title: Canary every config change, owner: ben, due: 2026-10-20, priority: high, kind: prevent}\n"


def test_unchanged_items() -> None:
    assert action_item_changes(repo(), repo()) == ()


def test_owner_due_and_title_changes() -> None:
    changed = ITEM.replace("owner: ben", "owner: cleo").replace("2026-10-20", "2026-11-30") \
        .replace("Canary every config change", "Canary every config and flag change")
    after = repo({PM: TEXT.replace(ITEM, changed)})
    assert action_item_changes(repo(), after) == (ActionItemChange(
        "2026-10-01-api-outage", "canary", "Canary every config and flag change", "changed", (
            FieldChange("title", "Canary every config change", "Canary every config and flag change"),
            FieldChange("owner", "Ben Okafor (ben)", "Cleo Park (cleo)"),
            FieldChange("due", "2026-10-20", "2026-11-30"),
        )),)


def test_added_and_removed_items() -> None:
    added = ("  - {id: alert, title: Alert on canary failures, owner: ana, due: 2026-11-30, priority: medium,"
             " kind: detect}\n")
    after = repo({PM: TEXT.replace(ITEM, added)})
    assert action_item_changes(repo(), after) == (
        ActionItemChange("2026-10-01-api-outage", "alert", "Alert on canary failures", "added", (
            FieldChange("owner", None, "Ana Silva (ana)"), FieldChange("due", None, "2026-11-30"),
            FieldChange("priority", None, "medium"), FieldChange("kind", None, "detect"),
        )),
        ActionItemChange("2026-10-01-api-outage", "canary", "Canary every config change", "removed"),
    )


def test_renaming_the_owner_is_not_a_change_of_owner() -> None:
    after = repo({"teams/core.yaml": minimal_text("teams/core.yaml").replace("Ben Okafor", "Benjamin Okafor")})
    assert action_item_changes(repo(), after) == ()


def test_a_deleted_postmortem_removes_its_items() -> None:
    assert action_item_changes(repo(), repo({PM: None})) == (
        ActionItemChange("2026-10-01-api-outage", "canary", "Canary every config change", "removed"),)
