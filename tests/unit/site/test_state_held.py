"""``SiteState.held``: the home page's "on call now, until", as joining the shifts ahead gives it.

The home page used to decode two weeks of every schedule's shifts on every
build to join the current person's touching pieces (a layer, then an override
of the same person); ``held`` walks the kept rows' integers instead. Checked
against the plain definition (:func:`join_shifts` of :meth:`SiteState.between`)
for every schedule of the example repo at every hour of three weeks (an
override of the person on call joins their turn on the 22nd), with the shifts
computed and with them kept by the last build. And since the home page reads
every schedule on every build, a rebuild takes them all from the last build
at once rather than compute the first few alone.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from opsrepo.load.repo import load_repo
from opsrepo.oncall.clock import to_micros
from opsrepo.site import build_site, state
from opsrepo.site.inputs import KeptShifts
from opsrepo.site.shiftrule import join_shifts
from opsrepo.site.state import HOME_AHEAD, SiteState
from tests.helpers import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from genorg import generate

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


def test_a_rebuild_a_minute_later_takes_every_schedules_shifts_from_the_last_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the home page (made again: its clock moved) reads every schedule: none is computed alone first
    generate(tmp_path / "org", 24, 2)
    build_site(load_repo(tmp_path / "org"), tmp_path / "site", NOW, history={}, search=False)
    computed: list[str] = []
    compute = state.final_shifts
    monkeypatch.setattr(state, "final_shifts", lambda repo, sid, *span: computed.append(sid) or compute(
        repo, sid, *span))
    later = build_site(load_repo(tmp_path / "org"), tmp_path / "site", NOW + timedelta(minutes=1), history={},
                       search=False)
    assert (later.rendered, computed) == (1, [])
    assert len(load_repo(tmp_path / "org").repo.schedules) == 24 > state.ALONE
