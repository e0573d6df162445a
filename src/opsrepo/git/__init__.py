"""The only package that talks to git.

``environment``: what every git process started for the ops repo runs with: no repository variables
a hook's git exported (``GIT_DIR``, ``GIT_WORK_TREE``, ``GIT_INDEX_FILE``, ...).
``history``: last change and author of files (runbook freshness on the site),
from one ``git log`` process (no GitPython: a site rebuild does not import it).
``revisions``: the ops repo's files at a revision, read from git objects by git processes
(no GitPython: ``opsrepo diff`` does not import it).
``propose``: a change as a commit on a new branch, pushed, through GitPython.
"""
