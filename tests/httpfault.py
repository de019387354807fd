"""Test helper: a real HTTP server on 127.0.0.1 whose replies are scripted, faults included.

Each path gets a script of ``Reply`` objects, one consumed per request (the last one repeats).
Faults happen on the real socket — a stall, a connection reset mid-body, a body shorter than its
Content-Length — so the client code under test meets them exactly as it would in production.
Every stall waits on the server's stop event, so ``close()`` ends it at once.
"""

from __future__ import annotations

import socket
import struct
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

Fault = Literal["stall-headers", "stall-body", "reset-body"]


@dataclass(frozen=True)
class Reply:
    body: bytes = b""
    status: int = 200
    content_type: str | None = "text/csv; charset=utf-8"
    length: int | Literal["auto"] | None = "auto"  # None: no Content-Length, body ends at close
    etag: str | None = None  # with these, a matching conditional request gets a 304
    last_modified: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    fault: Fault | None = None
    stall: float = 5.0  # seconds; far beyond the client's read timeout in the tests


@dataclass(frozen=True)
class Seen:
    path: str
    headers: dict[str, str]


class FaultServer:
    """Start with ``start()``, stop with ``close()`` (joins every handler thread)."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self._lock = threading.Lock()
        self._scripts: dict[str, list[Reply]] = {}
        self._seen: list[Seen] = []
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def start(self) -> FaultServer:
        self._thread.start()
        return self

    def close(self) -> None:
        self.stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()  # block_on_close: waits for handler threads
        self._thread.join(timeout=5)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}{path}"

    def script(self, path: str, *replies: Reply) -> None:
        with self._lock:
            self._scripts[path] = list(replies)

    def hits(self, path: str) -> list[Seen]:
        with self._lock:
            return [seen for seen in self._seen if seen.path == path]

    def _next(self, path: str, headers: dict[str, str]) -> Reply:
        with self._lock:
            self._seen.append(Seen(path, headers))
            script = self._scripts.get(path)
            if not script:
                return Reply(status=404, body=b"not found", content_type="text/plain")
            return script.pop(0) if len(script) > 1 else script[0]


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # so server_close() joins handlers and none outlives its test
    block_on_close = True
    owner: FaultServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the client hung up on a faulty reply: expected, not worth a traceback


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # one request per connection; a body may end at close
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        owner = self.server.owner
        reply = owner._next(self.path, dict(self.headers.items()))
        if reply.fault == "stall-headers":
            owner.stop.wait(reply.stall)
        if self._not_modified(reply):
            self.send_response(304)
            if reply.etag:
                self.send_header("ETag", reply.etag)
            self.end_headers()
            return
        self.send_response(reply.status)
        if reply.content_type:
            self.send_header("Content-Type", reply.content_type)
        length = len(reply.body) if reply.length == "auto" else reply.length
        if length is not None:
            self.send_header("Content-Length", str(length))
        if reply.etag:
            self.send_header("ETag", reply.etag)
        if reply.last_modified:
            self.send_header("Last-Modified", reply.last_modified)
        for name, value in reply.headers:
            self.send_header(name, value)
        self.end_headers()
        if reply.fault not in ("stall-body", "reset-body"):
            self.wfile.write(reply.body)
            return
        half = len(reply.body) // 2
        self.wfile.write(reply.body[:half])
        if reply.fault == "stall-body":
            owner.stop.wait(reply.stall)
            self.wfile.write(reply.body[half:])
            return
        owner.stop.wait(0.05)  # let the partial body arrive before the reset
        # SO_LINGER with a zero timeout makes close() send RST instead of FIN.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()

    def _not_modified(self, reply: Reply) -> bool:
        if reply.etag and self.headers.get("If-None-Match") == reply.etag:
            return True
        return bool(
            reply.last_modified and self.headers.get("If-Modified-Since") == reply.last_modified
        )
