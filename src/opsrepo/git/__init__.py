"""The only package that talks to git.

``history``: last change and author of files (runbook freshness on the site),
from one ``git log`` process (no GitPython: a site rebuild does not import it).
``revisions``: the ops repo's files at a revision, read from git objects through GitPython.
"""
