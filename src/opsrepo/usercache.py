"""The user's cache folder, where a command keeps what the next may take instead of making it again.

Compiled templates (:mod:`opsrepo.site.render`), parsed files
(:mod:`opsrepo.load.cache`) and the digest of opsrepo's code
(:mod:`opsrepo.codedigest`) are kept there, each in a folder of its own.
"""

from __future__ import annotations

import os

#: the variable naming the user's cache folder (else ``~/.cache``)
VARIABLE = "XDG_CACHE_HOME"


def cache_folder(*parts: str) -> str | None:
    """``opsrepo/<parts>`` in the user's cache folder; None when there is none to use.

    The folder is ``$XDG_CACHE_HOME``, else ``~/.cache``; one that is not an
    absolute path (a relative one would be the working directory's) is none.
    """
    base = os.environ.get(VARIABLE) or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "opsrepo", *parts) if os.path.isabs(base) else None
