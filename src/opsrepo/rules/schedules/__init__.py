"""Schedules (OPS3xx) and the references only schedules make (OPS213, OPS214).

Every check that needs the final schedule reads it over the validation
horizon ``[now, now + horizon)`` through
:func:`~opsrepo.rules.schedules.common.horizon_segments`: computed once per
schedule and validation, and shared with escalation through the engine's cache.
"""

from opsrepo.rules.schedules import coverage, load, structure, time_off

__all__ = ["coverage", "load", "structure", "time_off"]
