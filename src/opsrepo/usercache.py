"""The user's cache folder, where a command keeps what the next may take instead of making it again.

Compiled templates (:mod:`opsrepo.site.render`), parsed files
(:mod:`opsrepo.load.cache`) and the digest of opsrepo's code
(:mod:`opsrepo.codedigest`) are kept there, each in a folder of its own.
"""

from __future__ import annotations

import contextlib
import os
from typing import BinaryIO

#: the variable naming the user's cache folder (else ``~/.cache``)
VARIABLE = "XDG_CACHE_HOME"


def cache_folder(*parts: str) -> str | None:
    """``opsrepo/<parts>`` in the user's cache folder; None when there is none to use.

    The folder is ``$XDG_CACHE_HOME``, else ``~/.cache``; one that is not an
    absolute path (a relative one would be the working directory's) is none.
    """
    base = os.environ.get(VARIABLE) or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "opsrepo", *parts) if os.path.isabs(base) else None


def trusted(found: os.stat_result) -> bool:
    """Whether a kept file (as ``stat`` found it) is this user's, and only theirs to write.

    Another's is not taken: one planted in a cache folder others can write to
    (where ``XDG_CACHE_HOME`` names a shared place) could serve any text as
    a file's, or any digest as opsrepo's.
    """
    return not found.st_mode & 0o022 and (not hasattr(os, "getuid") or found.st_uid == os.getuid())


#: a kept file is written as a new one (never through a link, nor into a file another process made)
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def create(path: str | os.PathLike[str]) -> BinaryIO:
    """A new file at ``path``, readable and writable by its user alone (:func:`trusted`), to write whole.

    What is there already (left by a process that stopped, whose id this
    one's may be, when ``path`` names a temporary file) is removed first.
    """
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    return open(os.open(path, _CREATE, 0o600), "wb")
