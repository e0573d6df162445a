"""Page paths, relative links from any depth, and how the site writes times."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from opsrepo.site.format import day, duration, iso, short, when
from opsrepo.site.manifest import is_page_path
from opsrepo.site.render import http_url, section_of
from opsrepo.site.urls import Linker, page_path
from opsrepo.timeutil import get_zone


@pytest.mark.parametrize(("here", "kind", "object_id", "fragment", "expected"), [
    ("index.html", "runbook", "payments/high-error-rate", "", "runbooks/payments/high-error-rate.html"),
    ("runbooks/payments/high-error-rate.html", "runbook", "platform/dns", "", "../../runbooks/platform/dns.html"),
    ("runbooks/payments/high-error-rate.html", "service", "payments-api", "", "../../services/payments-api.html"),
    ("services/api.html", "severity", "SEV1", "", "../severity.html#severity-SEV1"),
    ("services/api.html", "schedule", "core-primary", "now", "../schedules/core-primary.html#now"),
    ("index.html", "runbook", "odd name?#", "", "runbooks/odd%20name%3F%23.html"),
    ("people/ana.html", "person", "ana", "", "ana.html"),
])
def test_links_are_relative_from_any_depth(here: str, kind: str, object_id: str, fragment: str,
                                           expected: str) -> None:
    assert Linker(here).to(kind, object_id, fragment) == expected


def test_root_and_indexes() -> None:
    link = Linker("runbooks/a/b.html")
    assert (link.root, link.index("home"), link.index("search"), link.path("static/site.css")) == (
        "../../", "../../index.html", "../../search.html", "../../static/site.css")
    assert Linker("index.html").root == ""
    assert page_path("policy", "core") == "policies/core.html"


@pytest.mark.parametrize(("path", "section"), [
    ("index.html", "home"), ("runbooks.html", "runbooks"), ("runbooks/a/b.html", "runbooks"),
    ("severity.html", "severity"), ("404.html", "404"),
])
def test_sections(path: str, section: str) -> None:
    assert section_of(path) == section


@pytest.mark.parametrize(("value", "expected"), [
    ("https://github.com/acme/ops", "https://github.com/acme/ops"),
    ("HTTP://example.com", "HTTP://example.com"),
    ("javascript:alert(1)", None), (" javascript:alert(1)", None), ("data:text/html,x", None),
    ("//evil.example", None), ("", None), (None, None),
])
def test_only_http_urls_from_the_config_become_links(value: str | None, expected: str | None) -> None:
    assert http_url(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (timedelta(minutes=5), "5 min"), (timedelta(minutes=90), "1 h 30 min"), (timedelta(days=1), "1 day"),
    (timedelta(days=90), "90 days"), (timedelta(days=14), "2 weeks"), (timedelta(days=7, hours=1), "1 week 1 h"),
    (timedelta(hours=167), "6 days 23 h"), (timedelta(seconds=30), "30 s"), (timedelta(0), "0 min"),
    (timedelta(minutes=-5), "-5 min"),
])
def test_durations_for_people(value: timedelta, expected: str) -> None:
    assert duration(value) == expected


def test_instants_dates_in_zones() -> None:
    instant = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    berlin = get_zone("Europe/Berlin")
    assert iso(instant) == "2026-11-23T08:00:00Z"
    assert when(instant, berlin) == "Mon 23 Nov 2026, 09:00 CET"
    assert short(instant, get_zone("America/New_York")) == "Mon 23 Nov, 03:00 EST"
    assert day(date(2026, 3, 1)) == "Sun 1 Mar 2026"


@pytest.mark.parametrize("zone_name", ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"])
def test_instants_are_written_as_strftime_writes_them(zone_name: str) -> None:
    """The texts are made from cached date parts; they read as strftime of the whole instant, DST included."""
    zone = get_zone(zone_name)
    start = datetime(2026, 3, 1, tzinfo=UTC)
    for step in range(0, 366 * 24 * 4, 7):  # every 105 min over a year, at odd minutes and seconds
        instant = start + timedelta(minutes=15 * step, seconds=step % 60)
        local = instant.astimezone(zone)
        assert iso(instant) == instant.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert when(instant, zone) == f"{local:%a} {local.day} {local:%b %Y, %H:%M} {local.tzname()}"
        assert short(instant, zone) == f"{local:%a} {local.day} {local:%b, %H:%M} {local.tzname()}"


@pytest.mark.parametrize(("path", "ok"), [
    ("index.html", True), ("runbooks/a/b.html", True), ("../x.html", False), ("/etc/x.html", False),
    ("a/../../x.html", False), ("static/site.css", False), ("a\\..\\x.html", False), ("x.html\0", False),
])
def test_manifest_paths_never_leave_the_site(path: str, ok: bool) -> None:
    assert is_page_path(path) is ok
