"""opsrepo.yaml's pay rules and Slack settings name real schedules; pay rules apply; holidays are known."""

from __future__ import annotations

from collections.abc import Iterator

from opsrepo.errors import Diagnostic
from opsrepo.model import PayConfig, Src
from opsrepo.oncall.load import rotation_members
from opsrepo.rules import Context, rule, suggest


@rule("OPS215", "unknown-settings-schedule")
def settings_schedules_exist(ctx: Context) -> Iterator[Diagnostic]:
    """The schedules opsrepo.yaml names (pay rules, Slack user groups and topics) exist."""
    org = ctx.repo.org
    rules = org.pay.rules if org.pay else ()
    named: list[tuple[str, Src, tuple[str, ...]]] = [
        (f"pay rule '{entry.name}'", entry.src, entry.schedules or ()) for entry in rules]
    named += [(f"Slack user group '{g.name}'", g.src, g.schedules) for g in org.slack.user_groups]
    named += [(f"the topic of Slack channel {t.name}", t.src, t.schedules) for t in org.slack.topics]
    for what, src, schedules in named:
        for index, schedule in enumerate(schedules):
            if schedule not in ctx.repo.schedules and not ctx.repo.is_broken("schedule", schedule):
                yield src.at("schedules", index).error(
                    "OPS215", f"{what} names unknown schedule '{schedule}'",
                    suggest(schedule, ctx.repo.schedules, "schedule"))


@rule("OPS311", "pay-rule-unreachable")
def pay_rules_apply(ctx: Context) -> Iterator[Diagnostic]:
    """Every pay rule can price something: no schedule or catch-all is taken by an earlier rule."""
    config = ctx.repo.org.pay
    if config is None:
        return
    yield from _repeated_names(config)
    taken: dict[str, str] = {}
    catch_all: str | None = None
    for entry in config.rules:
        if entry.schedules is None:
            if catch_all is not None:
                yield entry.src.at("name").error(
                    "OPS311", f"pay rule '{entry.name}' never applies: rule '{catch_all}' before it already "
                    "prices every schedule no rule names",
                    "name the schedules this rule is for under 'schedules:'")
            catch_all = catch_all or entry.name
            continue
        for index, schedule in enumerate(entry.schedules):
            if schedule in taken:
                yield entry.src.at("schedules", index).error(
                    "OPS311", f"schedule '{schedule}' is already priced by pay rule '{taken[schedule]}' "
                    f"(the first rule naming a schedule prices it)",
                    f"remove '{schedule}' from one of the rules")
            taken.setdefault(schedule, entry.name)


def _repeated_names(config: PayConfig) -> Iterator[Diagnostic]:
    seen: set[str] = set()
    for entry in config.rules:
        if entry.name in seen:
            yield entry.src.at("name").error(
                "OPS311", f"pay rule name '{entry.name}' is used by an earlier rule",
                "give each pay rule its own name")
        seen.add(entry.name)


@rule("OPS312", "pay-holidays-unknown")
def paid_people_have_a_country(ctx: Context) -> Iterator[Diagnostic]:
    """People on a schedule with holiday pay have a country, so their public holidays are known."""
    config = ctx.repo.org.pay
    if config is None:
        return
    reported: set[str] = set()
    for schedule in sorted(ctx.repo.schedules.values(), key=lambda s: s.id):
        entry = config.rule_for(schedule.id)
        holiday = entry.rates.get("holiday") if entry else None
        if entry is None or holiday is None or not (holiday.per_hour or holiday.per_shift):
            continue
        for pid in rotation_members(ctx.repo, schedule):
            person = ctx.repo.people.get(pid)
            if person is None or person.country or pid in reported:
                continue
            reported.add(pid)
            yield person.src.at("id").warning(
                "OPS312", f"{pid} is on schedule '{schedule.id}', which pays public holidays (pay rule "
                f"'{entry.name}'), but has no country: their holidays are paid as other days",
                "add country: (and subdivision:) to the person")
