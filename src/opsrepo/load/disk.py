"""The repo's files on disk, as link checks see them (:class:`opsrepo.rules.link_files.RepoFiles`)."""

from __future__ import annotations

from pathlib import Path

from opsrepo.rules.link_files import FileFacts


class DiskFiles:
    """Facts about paths below one repo root, read from the file system (each path once)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._real_root = root.resolve()
        self._known: dict[str, FileFacts] = {}

    def facts(self, relative: str) -> FileFacts:
        """What is at ``relative`` (a posix path below the root)."""
        found = self._known.get(relative)
        if found is None:
            found = self._known[relative] = self._read(relative)
        return found

    def _read(self, relative: str) -> FileFacts:
        path = self.root / relative
        try:
            through_link = path.is_symlink() or not path.resolve().is_relative_to(self._real_root)
            if path.is_dir():
                return FileFacts("folder", through_link=through_link)
            if path.is_file():
                return FileFacts("file", path.stat().st_size, through_link)
            return FileFacts("missing", through_link=through_link)
        except (OSError, ValueError, RuntimeError):  # a name the file system refuses, a loop of links
            return FileFacts("missing")
