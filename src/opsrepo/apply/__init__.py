"""``opsrepo apply``: keep a vendor in step with the repo (pure core; :mod:`opsrepo.pagerduty` does the IO).

:mod:`~opsrepo.apply.desired` says what PagerDuty should hold, with
:mod:`~opsrepo.apply.layers` and :mod:`~opsrepo.apply.overrides` making each
final schedule opsrepo's on opsrepo's own model of PagerDuty
(:mod:`~opsrepo.apply.pdmodel`); :mod:`~opsrepo.apply.plan` compares it with
the account, :mod:`~opsrepo.apply.execute` carries the plan out, and
:mod:`~opsrepo.apply.check` finds drift.
"""
