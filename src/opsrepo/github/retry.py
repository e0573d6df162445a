"""A create (POST) whose answer may be lost: retried, but only after looking for what it may have made.

GitHub's transport never repeats a POST by itself; when the connection breaks
before the answer arrives it raises :class:`~opsrepo.github.transport.Uncertain`.
The object may or may not exist then, so :func:`post_or_find` waits, looks for
it with the caller's ``look``, and posts again only when it is not there. A
refusal (:class:`~opsrepo.github.transport.Rejected`) is never retried: the
caller's ``refused`` may turn it into its own error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from opsrepo.actions.tracker import TrackerError
from opsrepo.github.tracker import GitHubTracker
from opsrepo.github.transport import OUTAGE_HINT, Rejected, Uncertain


def post_or_find(tracker: GitHubTracker, path: str, payload: dict[str, Any],
                 look: Callable[[], dict[str, Any] | None],
                 refused: Callable[[Rejected], TrackerError] | None = None) -> dict[str, Any]:
    """POST ``payload`` to ``path``; after a lost answer, what ``look`` finds, else POST again.

    ``refused``: the error to raise instead of a POST's :class:`Rejected` (default: the refusal itself).
    """
    transport, policy = tracker.transport, tracker.transport.policy
    lost = ""
    for attempt in range(1, policy.attempts + 1):
        try:
            return dict(transport.request("POST", path, body=payload, idempotent=False).data)
        except Uncertain as exc:
            lost = str(exc)
        except Rejected as exc:
            if refused is None:
                raise
            raise refused(exc) from None
        transport.pacer.wait(policy.delay(attempt), f"GitHub to recover ({lost})")
        found = look()
        if found is not None:
            return dict(found)
    raise TrackerError(f"GitHub failed {policy.attempts} times on {lost}", OUTAGE_HINT)
