"""Writing a page; what a build keeps beside the pages for the next one (compact JSON, written atomically)."""

from __future__ import annotations

import json
import os
from pathlib import Path


def write_json(path: Path, document: object) -> None:
    """``document`` as compact JSON at ``path``; a crash never leaves half a file."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(document, separators=(",", ":")), encoding="utf-8")
    os.replace(temporary, path)


#: a page is written over what was there
_WRITE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)


def write_page(target: Path, text: str) -> None:
    """``text`` in UTF-8 at ``target``, its folder made if missing (raises as mkdir + write_text).

    One ``open`` for a page whose folder is there (most of them) rather than a
    ``mkdir`` and a text file's layers: a thousand pages' worth of system calls
    and objects less in a large site.
    """
    data = text.encode("utf-8")
    try:
        fd = os.open(target, _WRITE, 0o666)
    except OSError:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(target, _WRITE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)
