"""Files the site carries besides pages: its static design, code colours, runbook images.

Runbook images are copied from the repo only when they are real files inside
the repo (never through a link) of a raster type
(:mod:`opsrepo.rules.link_files` decides, for ``validate`` too). SVG files are
not published: opened on their own they run script on the site's origin.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from opsrepo.site.render import STATIC


def write_static(out: Path) -> None:
    """The design's CSS, JS and icon, and the Pygments colours (light, and dark by system preference)."""
    target = out / "static"
    target.mkdir(parents=True, exist_ok=True)
    for source in sorted(STATIC.iterdir()):
        if source.is_file():
            _write_if_changed(target / source.name, source.read_bytes())
    _write_if_changed(target / "pygments.css", pygments_css().encode())


@lru_cache(maxsize=1)
def pygments_css() -> str:
    """Class-based highlighting colours: ``default`` in light mode, ``github-dark`` in dark mode."""
    from pygments.formatters import HtmlFormatter

    light = HtmlFormatter(style="default").get_style_defs(".highlight")
    dark = HtmlFormatter(style="github-dark").get_style_defs(".highlight")
    dark = "\n".join("  " + line for line in dark.splitlines())
    return (f"/* Pygments: light */\n{_without_backgrounds(light)}\n"
            f"@media (prefers-color-scheme: dark) {{\n{_without_backgrounds(dark)}\n}}\n")


def _without_backgrounds(css: str) -> str:
    """Drop the block background rules: the site's own ``pre`` colours apply in both modes."""
    kept = [line for line in css.splitlines()
            if not line.strip().startswith((".highlight { background", "pre {", "td.linenos", "span.linenos"))
            and "background-color" not in line.split("{", 1)[0]]
    return "\n".join(kept)


def _write_if_changed(path: Path, content: bytes) -> bool:
    try:
        if path.read_bytes() == content:
            return False
    except OSError:
        pass
    path.write_bytes(content)
    return True


def digest(path: Path) -> str:
    """A content hash of a file."""
    return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()


def copy_assets(root: Path, out: Path, published: Mapping[str, str], previous: Mapping[str, str]) -> None:
    """Copy the images pages link to (``path -> hash`` as this build read them) when changed or missing."""
    for relative, hash_ in sorted(published.items()):
        target = out / relative
        if previous.get(relative) != hash_ or not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / relative, target)
