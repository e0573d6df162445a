"""Starting points: a whole new ops repo (``opsrepo init``) and single files (``opsrepo new``).

The templates are package data under ``templates/``: ``init/`` mirrors the
new repo, ``new/`` holds one template per kind of file.
"""
