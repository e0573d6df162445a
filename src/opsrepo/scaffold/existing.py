"""``opsrepo init`` into a directory that already holds files, such as a fresh GitHub clone.

GitHub's "new repository" page can add a README, a ``.gitignore`` and a
LICENSE. Those are the team's: a README is kept (opsrepo's goes to
``OPSREPO.md``), a LICENSE is never touched, and a ``.gitignore`` gets the
lines it lacks under opsrepo's comment header. A file that already holds
exactly what init would write is left as it is, so a second run changes
nothing. Any other file in the way is a conflict: init lists them all and
writes nothing, unless told to overwrite them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

README = PurePosixPath("README.md")
OPSREPO_README = PurePosixPath("OPSREPO.md")
GITIGNORE = PurePosixPath(".gitignore")
#: files a new GitHub repository may start with that opsrepo never writes, only mentions
LICENSES = ("LICENSE", "LICENSE.md", "LICENSE.txt", "COPYING")


@dataclass(frozen=True)
class Placement:
    """What init does with each of its files in a directory as it is now."""

    files: dict[PurePosixPath, bytes]
    """Every file of the new repo, by where it goes (opsrepo's README may have moved)."""
    create: tuple[PurePosixPath, ...]
    replace: tuple[PurePosixPath, ...]
    """Files of the user's that differ from opsrepo's: conflicts, or overwritten with ``--force``."""
    unchanged: tuple[PurePosixPath, ...]
    kept: tuple[PurePosixPath, ...]
    """The user's README and LICENSE, left alone."""
    blocked: tuple[PurePosixPath, ...]
    """Paths where a folder or a file in the way cannot be overwritten even with ``--force``."""
    gitignore_added: tuple[str, ...] | None
    """The lines merged into the user's ``.gitignore``; None when init writes its own."""

    @property
    def merged(self) -> tuple[PurePosixPath, ...]:
        """The user's ``.gitignore`` when init adds lines to it."""
        return (GITIGNORE,) if self.gitignore_added else ()

    @property
    def readme(self) -> PurePosixPath:
        """Where opsrepo's README for the team is."""
        return OPSREPO_README if OPSREPO_README in self.files else README


def place(target: Path, planned: dict[PurePosixPath, bytes]) -> Placement:
    """Decide, without writing, how ``planned`` lands in ``target``."""
    files = dict(planned)
    kept = [PurePosixPath(name) for name in LICENSES if (target / name).is_file()]
    if README in files and _differs(target / README, files[README]):
        files[OPSREPO_README] = files.pop(README)
        kept.insert(0, README)
    added: tuple[str, ...] | None = None
    if GITIGNORE in files and _differs(target / GITIGNORE, files[GITIGNORE]):
        existing = (target / GITIGNORE).read_text(encoding="utf-8", errors="surrogateescape")
        merged, added = merge_gitignore(existing, files[GITIGNORE].decode("utf-8"))
        files[GITIGNORE] = merged.encode("utf-8", errors="surrogateescape")
    files = dict(sorted(files.items()))
    create: list[PurePosixPath] = []
    replace: list[PurePosixPath] = []
    unchanged: list[PurePosixPath] = []
    blocked: list[PurePosixPath] = []
    for path in files:
        destination = target / path
        if _in_the_way(target, path):
            blocked.append(path)
        elif not destination.exists():
            create.append(path)
        elif destination.read_bytes() == files[path]:
            if path != GITIGNORE or added is None:  # the user's .gitignore that needs nothing is "kept"
                unchanged.append(path)
        elif path != GITIGNORE:  # a .gitignore that differs is merged: the user's lines stay
            replace.append(path)
    return Placement(files, tuple(create), tuple(replace), tuple(unchanged), tuple(kept), tuple(blocked),
                     added)


def merge_gitignore(existing: str, ours: str) -> tuple[str, tuple[str, ...]]:
    """``existing`` with the lines of ``ours`` it lacks, under our comment header; and those lines."""
    header = next((line for line in ours.splitlines() if line.startswith("#")), "# opsrepo")
    have = {line.strip() for line in existing.splitlines()}
    missing = tuple(line for line in ours.splitlines()
                    if line.strip() and not line.startswith("#") and line.strip() not in have)
    if not missing:
        return existing, ()
    if existing and not existing.endswith("\n"):
        existing += "\n"
    gap = "\n" if existing.strip() else ""
    return existing + gap + header + "\n" + "".join(f"{line}\n" for line in missing), missing


def _differs(path: Path, content: bytes) -> bool:
    return path.is_file() and path.read_bytes() != content


def _in_the_way(target: Path, path: PurePosixPath) -> bool:
    """A folder where the file goes, or a file where one of its folders goes."""
    if (target / path).is_dir():
        return True
    return any((target / parent).exists() and not (target / parent).is_dir()
               for parent in path.parents if parent != PurePosixPath("."))
