"""What a build keeps beside the pages for the next one: compact JSON, written atomically."""

from __future__ import annotations

import json
import os
from pathlib import Path


def write_json(path: Path, document: object) -> None:
    """``document`` as compact JSON at ``path``; a crash never leaves half a file."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(document, separators=(",", ":")), encoding="utf-8")
    os.replace(temporary, path)
