"""The only package that talks to git (through GitPython).

``history``: last change and author of files (runbook freshness on the site).
``revisions``: the ops repo's files at a revision, read from git objects.
"""
