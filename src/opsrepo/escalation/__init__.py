"""Escalation: who gets paged, when, and who is next if nobody acknowledges.

``engine`` runs a policy's chain from a trigger instant with a resolver for
schedule targets; ``request`` turns a service or alert, a severity and an
instant into a :class:`Chain`; ``gaps`` finds, over a horizon, the instants a
level (or a whole chain) reaches nobody; ``render`` prints a chain.
"""

from __future__ import annotations

from opsrepo.escalation.engine import (
    Notification,
    Reached,
    Resolver,
    policy_id_for,
    resolve_target,
    run_policy,
    schedule,
    team_people,
)
from opsrepo.escalation.request import Chain, EscalationRequest, plan

__all__ = [
    "Chain", "EscalationRequest", "Notification", "Reached", "Resolver", "plan", "policy_id_for",
    "resolve_target", "run_policy", "schedule", "team_people",
]
