"""opsrepo: on-call and incident management from a git repository."""

__version__ = "0.1.0"
