"""A digest of opsrepo's own code: what a kept result made by another opsrepo must not be taken from."""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from functools import lru_cache

from opsrepo import __version__
from opsrepo.usercache import cache_folder, remove_unused, trusted, write_whole

#: the package's folder
PACKAGE = os.path.dirname(os.path.abspath(__file__))

#: where digests are kept, below opsrepo's folder of the user's cache folder, each in a file named by its
#: files' identities
FOLDER = "code"

#: a file changed less than this long ago is racy: its digest is computed, not kept (see opsrepo.load.cache)
RACY_NS = 2_000_000_000



@lru_cache(maxsize=1)
def code_digest() -> bytes:
    """A hash of opsrepo's version and every Python file of the package, by path and content.

    Reading and hashing the 280 files takes 12 ms: the digest is kept in the
    user's cache folder (``$XDG_CACHE_HOME/opsrepo/code/``, else ``~/.cache``)
    under the files' identities (path, size, modification and change times,
    inode: what ``stat`` tells in 2 ms), as the parsed-file cache keeps files
    (:mod:`opsrepo.load.cache`). The site's design and the parsed-file cache
    both name what they keep by it.
    """
    files = _python_files()
    identity = hashlib.blake2b(repr((__version__, PACKAGE, files)).encode(), digest_size=16).hexdigest()
    kept = _kept(identity)
    if kept is not None:
        with contextlib.suppress(OSError):
            with open(kept, "rb") as file:
                found = file.read() if trusted(os.fstat(file.fileno())) else b""
            if len(found) == 16:
                with contextlib.suppress(OSError):
                    os.utime(kept)  # used: not one to remove as unused
                return found
    digest = hashlib.blake2b(__version__.encode(), digest_size=16)
    for relative, *_ in files:
        with open(os.path.join(PACKAGE, *relative), "rb") as file:
            digest.update("/".join(relative).encode() + b"\0" + file.read())
    done = digest.digest()
    if kept is not None and all(changed < time.time_ns() - RACY_NS for *_, changed, _ in files):
        _keep(kept, done)
    return done


def _python_files() -> list[tuple[tuple[str, ...], int, int, int, int]]:
    """Every ``*.py`` of the package, sorted: its path parts, size, modification and change times, inode."""
    found: list[tuple[tuple[str, ...], int, int, int, int]] = []
    pending: list[tuple[str, tuple[str, ...]]] = [(PACKAGE, ())]
    while pending:
        folder, parts = pending.pop()
        with os.scandir(folder) as listing:
            for entry in listing:
                if entry.is_dir():
                    pending.append((entry.path, (*parts, entry.name)))
                elif entry.name.endswith(".py") and entry.is_file():
                    known = entry.stat()
                    found.append(((*parts, entry.name), known.st_size, known.st_mtime_ns, known.st_ctime_ns,
                                  known.st_ino))
    found.sort()
    return found


def _kept(identity: str) -> str | None:
    folder = cache_folder(FOLDER)
    return None if folder is None else os.path.join(folder, identity)


def _keep(path: str, digest: bytes) -> None:
    """Keep ``digest`` at ``path`` (atomically); remove other digests unused for a month."""
    folder = os.path.dirname(path)
    with contextlib.suppress(OSError):
        os.makedirs(folder, mode=0o700, exist_ok=True)
        write_whole(path, digest)
        remove_unused((os.path.join(folder, name) for name in os.listdir(folder)), path)
