"""Settings every test shares.

Hypothesis's per-example deadline (200 ms) measures the machine, not the code:
on a loaded CI runner a property test that is well within budget fails once in
a while. No property test here is about speed (the benchmarks are), so the
deadline is off for all of them; a test's own ``@settings`` still sets its
example count.
"""

from hypothesis import HealthCheck, settings

settings.register_profile("opsrepo", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("opsrepo")
