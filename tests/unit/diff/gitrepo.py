"""A scratch git repository for tests: write files, commit, read shas (git through subprocess)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.helpers import MINIMAL

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
}


class Scratch:
    """A git repository in ``path`` whose ops repo is at ``path / prefix``."""

    def __init__(self, path: Path, prefix: str = "") -> None:
        self.path = path
        self.root = path / prefix if prefix else path
        self.root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        done = subprocess.run(["git", *args], cwd=self.path, capture_output=True, text=True, check=True,
                              env={**os.environ, **GIT_ENV})
        return done.stdout.strip()

    def write(self, files: dict[str, str | None]) -> None:
        """Write (or with None, delete) files below the ops repo root."""
        for relative, text in files.items():
            target = self.root / relative
            if text is None:
                target.unlink()
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")

    def read(self, relative: str) -> str:
        return (self.root / relative).read_text(encoding="utf-8")

    def replace(self, relative: str, old: str, new: str) -> None:
        """Edit one file: ``old`` (which must be there) becomes ``new``."""
        text = self.read(relative)
        assert old in text, (relative, old)
        self.write({relative: text.replace(old, new)})

    def commit(self, message: str, files: dict[str, str | None] | None = None) -> str:
        """Commit everything (after writing ``files``); the new sha."""
        if files:
            self.write(files)
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD")


def minimal_scratch(path: Path, prefix: str = "") -> Scratch:
    """A scratch repo whose first commit is the minimal fixture ops repo."""
    scratch = Scratch(path, prefix)
    shutil.copytree(MINIMAL, scratch.root, dirs_exist_ok=True)
    scratch.commit("the minimal ops repo")
    return scratch
