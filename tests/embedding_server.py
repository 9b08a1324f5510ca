"""A real OpenAI-compatible ``POST /v1/embeddings`` server on 127.0.0.1, for the tests of the
remote embedding backend: ``answer(body)`` returns ``(status, payload)`` (a JSON-able payload,
or bytes sent as they are) or ``(status, payload, headers)`` (e.g. ``{"Retry-After": "5"}``), or
one of RESET, CLOSE and CUT to end the connection without a
complete answer; every request is recorded as (path, model, number of inputs, Authorization
header). Like a real server, it answers any other path than /v1/embeddings with a 404 HTML
page. ``body_limit``: a request with a longer body is reset unread (model and number of inputs
recorded as None), as a server with a payload limit may do instead of answering 413. Requests
are served each on its own thread, so one held by ``answer`` does not hold the next.
``host``: the address to listen on, 127.0.0.1 or ::1. As a forward proxy would, it also takes a
request whose path is a whole URL (``POST http://gpu-box:8080/v1/embeddings``, what a client
configured with http_proxy sends): recorded as it came, answered by its path."""
from __future__ import annotations

import json
import socket
import struct
import threading
import urllib.parse
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Iterator

RESET = "reset"   # the connection reset (RST) after the request was read, nothing answered
CLOSE = "close"   # the connection closed in order (FIN), nothing answered
CUT = "cut"       # a 200 answer cut off halfway through its body


def vectors_payload(vectors: Any, order: Any = None) -> dict:
    """The OpenAI answer for ``vectors`` (in the input's order); ``order``: the order in which
    the items are listed (each keeps its "index")."""
    rows = [list(map(float, v)) for v in vectors]
    order = range(len(rows)) if order is None else order
    return {"object": "list", "data": [{"index": i, "embedding": rows[i]} for i in order]}


NOTES = ["Pay has not kept up with inflation for years",
         "The laptops take ten minutes to start every single morning for the whole team",
         "Managers should be trained before they manage anyone",
         "Hybrid working lets me look after my children",
         "The canteen closes too early for the late shift"]


def numbered(texts: Any) -> list[list[float]]:
    """A vector that tells texts "... note N ..." apart: N, the text's length, 1."""
    return [[float(t.split("note ")[1].split()[0].rstrip(")")), len(t), 1.0] for t in texts]


NOT_FOUND_PAGE = (b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body>"
                  b"<h1>Not Found</h1><p>The requested URL was not found on this server.</p>"
                  b"</body></html>")


class _Server(ThreadingHTTPServer):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.resets: set[socket.socket] = set()

    def shutdown_request(self, request: Any) -> None:
        if request in self.resets:      # closed at once with no lingering: the peer gets RST
            self.resets.discard(request)
            request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            request.close()
        else:
            super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys
        if not isinstance(sys.exc_info()[1], ConnectionError):   # a client that gave up
            super().handle_error(request, client_address)


@contextmanager
def embeddings_server(answer: Callable[[dict], Any], body_limit: int | None = None,
                      host: str = "127.0.0.1") -> Iterator[tuple[str, list[tuple[str, str | None, int | None,
                                                          str | None]]]]:
    seen: list[tuple[str, str | None, int | None, str | None]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            auth = self.headers.get("Authorization")
            length = int(self.headers["Content-Length"])
            if body_limit is not None and length > body_limit:
                seen.append((self.path, None, None, auth))
                server.resets.add(self.connection)
                return
            body = json.loads(self.rfile.read(length))
            seen.append((self.path, body["model"], len(body["input"]), auth))
            path = urllib.parse.urlsplit(self.path).path     # a proxy's request: a whole URL
            reply = answer(body) if path == "/v1/embeddings" else (404, NOT_FOUND_PAGE)
            if reply == RESET:
                server.resets.add(self.connection)
                return
            if reply == CLOSE:
                return
            status, payload, *more = (200, vectors_payload([[0.0]] * len(body["input"]))) \
                if reply == CUT else reply
            out = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
            self.send_response(status)
            for name, value in (more[0] if more else {}).items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out[:len(out) // 2] if reply == CUT else out)

        def log_message(self, *args):
            pass

    server_class = type("_Server6", (_Server,), {"address_family": socket.AF_INET6}) \
        if ":" in host else _Server
    server = server_class((host, 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://{f'[{host}]' if ':' in host else host}:{server.server_port}/v1", seen
    finally:
        server.shutdown()
        server.server_close()
