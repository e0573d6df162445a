"""The static runbook site: ``build_site(loaded, out, now)`` renders it into a folder.

Pages: who is on call now and next (computed in the browser from the shifts
the page carries), services, runbooks, schedules with month calendars and ICS
feeds, people, teams, escalation policies, the severity matrix, post-mortems,
the rules catalog and the reliability report; searched with Pagefind.
"""

from __future__ import annotations

from opsrepo.site.builder import SiteResult, build_site

__all__ = ["SiteResult", "build_site"]
