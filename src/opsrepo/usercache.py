"""The user's cache folder, where a command keeps what the next may take instead of making it again.

Compiled templates (:mod:`opsrepo.site.render`), parsed files
(:mod:`opsrepo.load.cache`) and the digest of opsrepo's code
(:mod:`opsrepo.codedigest`) are kept there, each in a folder of its own.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import time
from collections.abc import Iterable
from typing import BinaryIO

#: the variable naming the user's cache folder (else ``~/.cache``)
VARIABLE = "XDG_CACHE_HOME"

#: a kept file or folder unused for this many days (its modification time: a process using it sets it) is
#: removed when another is made beside it
UNUSED_DAYS = 30


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


def write_whole(path: str | os.PathLike[str], *parts: bytes) -> None:
    """Write ``parts`` as the file at ``path``, atomically (a temporary file :func:`create` made, renamed).

    Raises :class:`OSError` when the folder does not take it; the temporary
    file is then removed.
    """
    temporary = f"{os.fspath(path)}.{os.getpid()}.tmp"
    try:
        with create(temporary) as file:
            for part in parts:
                file.write(part)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def remove_unused(others: Iterable[str | os.PathLike[str]], keep: str | os.PathLike[str]) -> None:
    """Remove each of ``others`` but ``keep`` unused for :data:`UNUSED_DAYS` days."""
    unused_since = time.time() - UNUSED_DAYS * 86400
    for other in others:
        if os.fspath(other) == os.fspath(keep):
            continue
        with contextlib.suppress(OSError):
            found = os.lstat(other)
            if found.st_mtime < unused_since:
                if stat.S_ISDIR(found.st_mode):
                    shutil.rmtree(other, ignore_errors=True)
                else:
                    os.remove(other)
