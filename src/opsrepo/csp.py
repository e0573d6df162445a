"""The Content-Security-Policy of every HTML page opsrepo writes: the site's pages and the calendars' views.

No inline script or style at all (Pagefind needs wasm), and images from the
site itself only: a runbook cannot make every reader's browser fetch a
tracking pixel from another host.
"""

from __future__ import annotations

CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; frame-src 'none'; worker-src 'self'; "
       "base-uri 'none'; form-action 'self'")
#: the 404 page is served at any depth, so it needs a <base> (and nothing else changes)
CSP_404 = CSP.replace("base-uri 'none'", "base-uri 'self'")
