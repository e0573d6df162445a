"""A tiny HTTP server on 127.0.0.1 answering canned JSON, recording every request (for the API paths)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

#: path -> answer: a JSON body, or a function of (query, attempt) returning (status, headers, body)
Answer = Any | Callable[[dict[str, list[str]], int], tuple[int, dict[str, str], Any]]


@dataclass
class Served:
    url: str
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)


@contextmanager
def serve(routes: dict[str, Answer]) -> Iterator[Served]:
    """Serve ``routes`` until the block ends; unknown paths answer 404."""
    served = Served("")
    counts: dict[str, int] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            served.requests.append((self.path, dict(self.headers.items())))
            counts[parts.path] = counts.get(parts.path, 0) + 1
            answer = routes.get(parts.path)
            if answer is None:
                status, headers, body = 404, {}, {"error": "not found"}
            elif callable(answer):
                status, headers, body = answer(parse_qs(parts.query), counts[parts.path])
            else:
                status, headers, body = 200, {}, answer
            data = json.dumps(body).encode("utf-8")
            self.send_response(status)
            for key, value in {"Content-Type": "application/json", **headers}.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    served.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
