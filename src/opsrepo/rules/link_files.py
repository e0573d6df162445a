"""Which repo files a Markdown link may point to: the one verdict of ``validate`` and the site.

A link that is neither a page nor an object (``notes.txt``, ``diagram.png``)
points at a file of the repo. The site publishes a raster image under 5 MiB
that is a real file inside the repo, links any other existing file on GitHub
(when ``site.repo_url`` says where), and refuses the rest. ``opsrepo
validate`` (OPS601) and the site build ask this module, so a repo that
validates never fails its build over such a link.

What is known of the files is passed in (:class:`RepoFiles`): rules do no IO.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Protocol
from urllib.parse import quote, urlsplit

from opsrepo.records import dataclass

IMAGE_TYPES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif"})
#: the largest image the site copies (a runbook screenshot is far smaller)
MAX_IMAGE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class FileFacts:
    """What a link check needs to know of one repo path."""

    #: "file", "folder" or "missing"
    kind: str
    size: int = 0
    #: the path, or a folder on the way to it, is a symbolic link (or leads out of the repo)
    through_link: bool = False


class RepoFiles(Protocol):
    """The repo's files as the link checks see them."""

    def facts(self, relative: str) -> FileFacts:
        """Facts about the repo-relative posix path ``relative``."""


@dataclass(frozen=True)
class FileVerdict:
    """Where the site sends a link to a repo file, or why it cannot (``problem``)."""

    href: str | None = None
    problem: str = ""
    hint: str = ""


def image_verdict(files: RepoFiles, relative: str) -> FileVerdict:
    """An image link to ``relative``: published next to its page (``href`` is the path), or why not."""
    facts = files.facts(relative)
    suffix = PurePosixPath(relative).suffix.lower()
    if facts.through_link:
        return FileVerdict(problem=f"{relative} is a symbolic link; the site does not follow links")
    if facts.kind != "file":
        return FileVerdict(problem=f"no file at {relative}")
    if suffix == ".svg":
        return FileVerdict(
            problem=f"{relative}: SVG images are not published (they can carry script); use PNG")
    if suffix not in IMAGE_TYPES:
        return FileVerdict(problem=f"{relative} is not an image the site publishes "
                                   f"({', '.join(sorted(IMAGE_TYPES))})")
    if facts.size > MAX_IMAGE_BYTES:
        return FileVerdict(problem=f"{relative} is larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MiB")
    return FileVerdict(href=relative)


def file_verdict(files: RepoFiles, relative: str, repo_url: str | None, branch: str) -> FileVerdict:
    """A link to the repo file ``relative`` that is no page: its URL on GitHub, or why there is none."""
    facts = files.facts(relative)
    if facts.through_link:
        return FileVerdict(problem=f"{relative} is a symbolic link; the site does not follow links")
    if facts.kind == "missing":
        return FileVerdict(problem=f"no file at {relative}")
    base = http_url(repo_url)
    if base:
        return FileVerdict(href=f"{base.rstrip('/')}/blob/{quote(branch, safe='')}/{quote(relative)}")
    return FileVerdict(problem=f"{relative} is not a page of the site",
                       hint="set site.repo_url in opsrepo.yaml so the site links repo files on GitHub")


def http_url(value: str | None) -> str | None:
    """``value`` when it is an http(s) URL, else None (a config value never becomes a script URL)."""
    if not value:
        return None
    return value if urlsplit(value.strip()).scheme.lower() in ("http", "https") else None
