"""A real OpenAI-compatible ``POST /v1/embeddings`` server on 127.0.0.1, for the tests of the
remote embedding backend: ``answer(body)`` returns ``(status, payload)`` (a JSON-able payload,
or bytes sent as they are); every request is recorded as (path, model, number of inputs,
Authorization header). Like a real server, it answers any other path than /v1/embeddings with
a 404 HTML page."""
from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, Callable, Iterator


def vectors_payload(vectors: Any, order: Any = None) -> dict:
    """The OpenAI answer for ``vectors`` (in the input's order); ``order``: the order in which
    the items are listed (each keeps its "index")."""
    rows = [list(map(float, v)) for v in vectors]
    order = range(len(rows)) if order is None else order
    return {"object": "list", "data": [{"index": i, "embedding": rows[i]} for i in order]}


NOT_FOUND_PAGE = (b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body>"
                  b"<h1>Not Found</h1><p>The requested URL was not found on this server.</p>"
                  b"</body></html>")


@contextmanager
def embeddings_server(answer: Callable[[dict], tuple[int, Any]]
                      ) -> Iterator[tuple[str, list[tuple[str, str, int, str | None]]]]:
    seen: list[tuple[str, str, int, str | None]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen.append((self.path, body["model"], len(body["input"]),
                         self.headers.get("Authorization")))
            if self.path == "/v1/embeddings":
                status, payload = answer(body)
            else:
                status, payload = 404, NOT_FOUND_PAGE
            out = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/v1", seen
    finally:
        server.shutdown()
        server.server_close()
