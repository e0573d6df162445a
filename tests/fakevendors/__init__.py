"""Stateful fakes of PagerDuty's REST API v2 and Opsgenie's API v2, and independent schedule renderers.

Nothing here imports ``opsrepo``: the renderers are written from the vendors'
documented semantics so that comparing them with opsrepo's engine proves
something. See ``LAYOUT.md`` for the saved-account folder layouts.
"""
