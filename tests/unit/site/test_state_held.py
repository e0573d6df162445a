"""``SiteState.held``: the home page's "on call now, until", as joining the shifts ahead gives it.

The home page used to decode two weeks of every schedule's shifts on every
build to join the current person's touching pieces (a layer, then an override
of the same person); ``held`` walks the kept rows' integers instead. Checked
against the plain definition (:func:`join_shifts` of :meth:`SiteState.between`)
for every schedule of the example repo at every hour of three weeks (an
override of the person on call joins their turn on the 22nd), with the shifts
computed and with them kept by the last build.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from opsrepo.load.repo import load_repo
from opsrepo.oncall.clock import to_micros
from opsrepo.site.inputs import KeptShifts
from opsrepo.site.shiftrule import join_shifts
from opsrepo.site.state import HOME_AHEAD, SiteState
from tests.helpers import ROOT

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_held_is_the_first_joined_shift_computed_or_kept() -> None:
    repo = load_repo(ROOT).repo
    computed = SiteState(repo, NOW, {})
    kept = SiteState(repo, NOW, {}, _kept={
        sid: KeptShifts(sid, [[to_micros(s.start), to_micros(s.end), s.person, s.kind, s.source, s.covering_for]
                              for s in computed.shifts(sid)])
        for sid in repo.schedules})
    joined = 0
    for hour in range(21 * 24):
        at = NOW + timedelta(hours=hour)
        for sid in sorted(repo.schedules):
            current = computed.on_call(sid, at)
            if current is None:
                continue
            expected = join_shifts(computed.between(sid, current.start, at + HOME_AHEAD))[0]
            assert computed.held(sid, current, at + HOME_AHEAD) == expected
            assert kept.held(sid, kept.on_call(sid, at) or current, at + HOME_AHEAD) == expected
            joined += expected.end != current.end
    assert joined  # some shifts are pieces of one person joined (a layer, then an override)
