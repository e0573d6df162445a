"""The edges of the importers that talk to vendors: their APIs, and the folders that hold saved accounts.

Everything here does IO; what it reads is handed to the pure mapping in
``opsrepo.importers`` as plain dicts.
"""

from __future__ import annotations

import ipaddress
import urllib.parse


class VendorError(Exception):
    """A vendor could not be read: ``usage`` when the user must fix an argument (key, URL, folder)."""

    def __init__(self, message: str, *, usage: bool = False, hint: str | None = None) -> None:
        super().__init__(message)
        self.usage = usage
        self.hint = hint


def loopback(url: str) -> bool:
    """True when ``url``'s host is this machine (127.0.0.0/8, ::1, localhost): a test server."""
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
