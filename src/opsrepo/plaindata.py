"""Pickled plain data, read back without looking up any class.

The site build keeps state between runs as pickles (the parsed-file cache in
the user's cache folder, the home page's kept shifts beside the site). Both
hold only dicts, lists, tuples, text, bytes and numbers, and both are read with
an unpickler that refuses every class, so a damaged or planted file can make
no object but plain data, and call nothing.
"""

from __future__ import annotations

import io
import pickle
from typing import Any


class _PlainData(pickle.Unpickler):
    """Makes only plain data: a pickle naming any class or function is refused."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"the pickle names {module}.{name}")


def load_plain(raw: bytes, start: int = 0) -> Any:
    """The plain data pickled in ``raw`` from byte ``start`` on; raises on anything else."""
    stream = io.BytesIO(raw)
    stream.seek(start)
    return _PlainData(stream).load()
