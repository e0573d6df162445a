"""A page's fingerprint: a hash of the canonical JSON of everything it is rendered from."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from opsrepo.site.manifest import fingerprint
from opsrepo.site.state import Page

PAGE = Page("runbooks/a.html", "runbook.html", "Á runbook",
            {"z": [1, 2.5, None, True], "a": {"when": datetime(2026, 12, 7, 9, tzinfo=UTC), "b": "x\"<"}},
            ("runbooks/a.md", "# A\n\nbody é\n", 5), "runbook")
SITE = {"title": "Ops", "org": "acme", "version": "1"}


def test_the_fingerprint_hashes_sorted_compact_json_of_the_inputs() -> None:
    text = ('["design",{"org":"acme","title":"Ops","version":"1"},"runbook.html","\\u00c1 runbook","runbook",'
            '{"a":{"b":"x\\"<","when":"2026-12-07 09:00:00+00:00"},"z":[1,2.5,null,true]},'
            '["runbooks/a.md","# A\\n\\nbody \\u00e9\\n",5]]')
    assert fingerprint(PAGE, "design", SITE) == hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def test_the_fingerprint_is_json_dumps_with_sorted_keys() -> None:
    inputs = ["d", SITE, PAGE.template, PAGE.title, PAGE.search, PAGE.data, PAGE.markdown]
    text = json.dumps(inputs, sort_keys=True, separators=(",", ":"), default=str)
    assert fingerprint(PAGE, "d", SITE) == hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    assert fingerprint(PAGE, "d", SITE) != fingerprint(PAGE, "e", SITE)
