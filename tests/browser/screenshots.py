"""Screenshots against reviewed baselines: Pillow decodes both and counts the pixels that differ.

``OPSREPO_UPDATE_BASELINES=1`` (``bash scripts/update-baselines.sh`` sets it)
writes each screenshot as the new baseline instead; docs/browser-tests.md says when.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import ARTIFACTS

BASELINES = Path(__file__).parent / "baselines"
#: set to 1 (scripts/update-baselines.sh does) to write the screenshots as the new baselines
UPDATE = os.environ.get("OPSREPO_UPDATE_BASELINES") == "1"
#: a pixel differs when a channel differs by more than this (anti-aliasing and font hinting noise)
CHANNEL_TOLERANCE = 24
#: the share of pixels that may differ before a screenshot fails
PIXEL_TOLERANCE = 0.002


def like_its_baseline(shot: bytes, name: str) -> None:
    """Fail unless ``shot`` is like ``baselines/<name>.png``, naming the actual and diff images written."""
    baseline = BASELINES / f"{name}.png"
    if UPDATE:
        BASELINES.mkdir(exist_ok=True)
        save_png(shot, baseline)
        return
    if not baseline.is_file():
        actual = write_artifact(shot, f"{name}-actual.png")
        pytest.fail(f"no baseline {baseline.relative_to(BASELINES.parent.parent.parent)} (the screenshot is "
                    f"{actual}): review it, then run bash scripts/update-baselines.sh")
    differing, total, diff = compare(baseline.read_bytes(), shot)
    if differing > PIXEL_TOLERANCE * total:
        actual = write_artifact(shot, f"{name}-actual.png")
        diff_path = ARTIFACTS / "baselines" / f"{name}-diff.png"
        diff.save(diff_path)
        pytest.fail(f"{name}: {differing} of {total} pixels differ from tests/browser/baselines/{name}.png "
                    f"(tolerance {PIXEL_TOLERANCE:.1%}); the screenshot is {actual}, the differences "
                    f"{diff_path} (red). If the change is meant, review them and run "
                    "bash scripts/update-baselines.sh")


def save_png(data: bytes, path: Path) -> None:
    """Keep a screenshot as a compact PNG (256 colours: a baseline is reviewed by eye, compared with a tolerance)."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        image.convert("RGB").quantize(256, dither=Image.Dither.NONE).save(path, optimize=True)


def write_artifact(data: bytes, name: str) -> Path:
    """A screenshot in test-artifacts/baselines/ (gitignored; CI uploads it)."""
    folder = ARTIFACTS / "baselines"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return folder / name


def compare(baseline: bytes, actual: bytes) -> tuple[int, int, Any]:
    """How many pixels differ by more than :data:`CHANNEL_TOLERANCE`, of how many, and an image of them.

    Images of different sizes differ everywhere outside their common area.
    """
    from PIL import Image, ImageChops

    with Image.open(io.BytesIO(baseline)) as one, Image.open(io.BytesIO(actual)) as two:
        old, new = one.convert("RGB"), two.convert("RGB")
    size = (max(old.width, new.width), max(old.height, new.height))
    before, after = Image.new("RGB", size, "black"), Image.new("RGB", size, "white")
    before.paste(old)
    after.paste(new)
    red, green, blue = ImageChops.difference(before, after).split()
    worst = ImageChops.lighter(ImageChops.lighter(red, green), blue)
    mask = worst.point(lambda value: 255 if value > CHANNEL_TOLERANCE else 0)
    faded = Image.blend(after, Image.new("RGB", size, "white"), 0.7)
    return mask.histogram()[255], size[0] * size[1], Image.composite(Image.new("RGB", size, "red"), faded, mask)
