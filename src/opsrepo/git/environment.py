"""git's environment for the ops repo, without the repository a hook's git exported.

When git runs a hook it exports where ITS repository is (``GIT_DIR``,
``GIT_WORK_TREE``, ``GIT_INDEX_FILE``, ...). Any git opsrepo starts for the ops
repo must not inherit them, or it reads (and writes) the hook's repository.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

#: what tells git where the repository is (``git rev-parse --local-env-vars``, less the configuration)
REPOSITORY_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_IMPLICIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_PREFIX",
                        "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
                        "GIT_SHALLOW_FILE", "GIT_GRAFT_FILE", "GIT_NO_REPLACE_OBJECTS",
                        "GIT_REPLACE_REF_BASE")


def git_env() -> dict[str, str]:
    """The environment for a git process: ours less the repository variables, messages in one locale."""
    env = {name: value for name, value in os.environ.items() if name not in REPOSITORY_VARIABLES}
    return {**env, "LANGUAGE": "C", "LC_ALL": "C"}


@contextmanager
def repository_variables_dropped() -> Iterator[None]:
    """Drop the repository variables from this process's environment until the block ends.

    For GitPython: its ``Repo`` reads ``GIT_WORK_TREE`` and friends itself, and
    each git it starts (its ``cat-file --batch`` readers too) gets a copy of
    ``os.environ``, to which it can only add. Restored afterwards, also on error.
    """
    saved = {name: os.environ.pop(name) for name in REPOSITORY_VARIABLES if name in os.environ}
    try:
        yield
    finally:
        os.environ.update(saved)
