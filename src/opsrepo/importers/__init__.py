"""Vendor accounts (PagerDuty, Opsgenie) to ops-repo documents, an import report, and the proof.

The core is pure: vendor objects, as plain dicts exactly as the vendors' APIs
(or Opsgenie's configuration-backup tool) give them, become ops-repo documents
(plain dicts, one per file) and a :class:`~opsrepo.importers.result.Report`
that lists every source object, what it became and what was not carried over.
Fetching, reading folders and writing files happen at the edges
(``opsrepo.vendors`` and ``opsrepo.cli.importer``).

``verify.compare`` is the proof: two lists of on-call intervals, opsrepo's
final schedule and the vendor's rendering, and every minute where they differ.
"""

from __future__ import annotations
