from __future__ import annotations

from datetime import timedelta

from opsrepo.diff.model import Chain, ChainChange, ChainLevel, ChainTarget, FieldChange, SeverityChange
from opsrepo.diff.policies import chain_changes, severity_changes
from tests.unit.diff.repos import minimal_text, repo

CORE = minimal_text("policies/escalation/core.yaml")
TEAM = minimal_text("teams/core.yaml")
SEVERITY = minimal_text("policies/severity.yaml")

PRIMARY = ChainTarget("schedule", "core-primary", "Core primary")
TEAM_CORE = ChainTarget("team", "core", "Core")
BEN = ChainTarget("person", "ben", "Ben Okafor")
FIVE, TEN = timedelta(minutes=5), timedelta(minutes=10)
DEFAULT_CHAIN = Chain("core", "core", (ChainLevel((PRIMARY,), FIVE), ChainLevel((TEAM_CORE,), TEN)), 0)


def test_nothing_changes() -> None:
    assert chain_changes(repo(), repo()) == ()
    assert severity_changes(repo(), repo()) == ()


def test_a_new_escalation_level_changes_the_default_chain_in_names() -> None:
    after = repo({"policies/escalation/core.yaml": CORE.replace(
        "  - {targets: [team:core]", "  - {targets: [person:ben], escalate_after: 5m}\n  - {targets: [team:core]")})
    new_chain = Chain("core", "core", (ChainLevel((PRIMARY,), FIVE), ChainLevel((BEN,), FIVE),
                                       ChainLevel((TEAM_CORE,), TEN)), 0)
    assert chain_changes(repo(), after) == (ChainChange("api", "API", "default", DEFAULT_CHAIN, new_chain),)


def test_a_severity_override_is_compared_with_the_default_it_replaces() -> None:
    urgent = "id: urgent\nname: Urgent\nlevels:\n  - {targets: [person:ben], escalate_after: 5m}\nrepeat: 2\n"
    after = repo({"policies/escalation/urgent.yaml": urgent,
                  "teams/core.yaml": TEAM.replace("    escalation_policy: core\n",
                                                  "    escalation_policy: core\n    severity_policies: {SEV1: urgent}\n")})
    assert chain_changes(repo(), after) == (
        ChainChange("api", "API", "SEV1", DEFAULT_CHAIN, Chain("urgent", "Urgent", (ChainLevel((BEN,), FIVE),), 2)),
    )


def test_switching_when_nobody_to_skip_changes_the_chain() -> None:
    after = repo({"policies/escalation/core.yaml": CORE + "when_nobody: skip\n"})
    skipping = Chain("core", "core", DEFAULT_CHAIN.levels, 0, "skip")
    assert chain_changes(repo(), after) == (ChainChange("api", "API", "default", DEFAULT_CHAIN, skipping),)


def test_renaming_a_target_or_the_policy_is_not_a_change() -> None:
    after = repo({"teams/core.yaml": TEAM.replace("name: Ben Okafor", "name: Benjamin Okafor"),
                  "schedules/core-primary.yaml": minimal_text("schedules/core-primary.yaml").replace(
                      "name: Core primary", "name: Core first line"),
                  "policies/escalation/core.yaml": "name: Core escalation\n" + CORE})
    assert chain_changes(repo(), after) == ()


def test_a_new_service_has_no_chain_before() -> None:
    after = repo({"teams/core.yaml": TEAM + "  - {id: web, escalation_policy: core}\n"})
    assert chain_changes(repo(), after) == (ChainChange("web", "web", "default", None, DEFAULT_CHAIN),)


def test_a_missing_policy_is_a_chain_without_levels() -> None:
    after = repo({"teams/core.yaml": TEAM.replace("escalation_policy: core", "escalation_policy: gone")})
    assert chain_changes(repo(), after) == (
        ChainChange("api", "API", "default", DEFAULT_CHAIN, Chain("gone", "gone (missing)", (), 0)),)


def test_severity_fields_that_change() -> None:
    after = repo({"policies/severity.yaml": SEVERITY.replace("acknowledge_within: 5m", "acknowledge_within: 10m")
                  .replace("postmortem: {required: true, within: 7d}", "postmortem: {required: true, within: 3d}")
                  .replace("name: Minor\n    pages: false", "name: Minor\n    pages: true\n    roles: [lead, scribe]")})
    assert severity_changes(repo(), after) == (
        SeverityChange("SEV1", "Critical", "changed", (
            FieldChange("acknowledge_within", "5m", "10m"),
            FieldChange("postmortem", "required within 1w", "required within 3d"),
        )),
        SeverityChange("SEV3", "Minor", "changed", (
            FieldChange("pages", "no", "yes"), FieldChange("roles", None, "lead, scribe"),
        )),
    )


def test_severity_levels_added_removed_and_reordered() -> None:
    sev1, sev2, sev3 = ("  - id" + block for block in SEVERITY.split("  - id")[1:])
    sev4 = "  - {id: SEV4, name: Cosmetic, pages: false, acknowledge_within: 1d, resolve_within: 1w}\n"
    after = repo({"policies/severity.yaml": "levels:\n" + sev2 + sev1 + sev4})
    assert severity_changes(repo(), after) == (
        SeverityChange("SEV2", "Major", "changed", (FieldChange("position", "2", "1"),)),
        SeverityChange("SEV1", "Critical", "changed", (FieldChange("position", "1", "2"),)),
        SeverityChange("SEV4", "Cosmetic", "added"),
        SeverityChange("SEV3", "Minor", "removed"),
    )
    assert "SEV3" in sev3


def test_a_skipping_chain_says_so_in_its_summary() -> None:
    from opsrepo.diff.words import chain_summary

    skipping = Chain("core", "core", DEFAULT_CHAIN.levels, 1, "skip")
    assert chain_summary(skipping) == (
        "policy core: 1. Core primary (schedule), then 5m; 2. Core (team), then 10m; repeated 1 more time; "
        "a level that reaches nobody is skipped at once")
