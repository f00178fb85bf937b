"""A small HTTP proxy that misbehaves on a seeded schedule: the network a station meets in the field.

Between the station and the hub (both on loopback), for each request it
picks one of:

- ``pass``: forward and answer faithfully;
- ``drop_before``: close the connection without forwarding (the hub never saw it);
- ``drop_after``: forward, then close without answering (the hub stored it, the station never hears);
- ``delay``: wait a little, then forward;
- ``stall``: wait longer than the client's timeout, then forward anyway (the retry races the original);
- ``error_500`` / ``error_502``: answer itself, text/plain or an HTML gateway page;
- ``cut``: forward, then send the headers with the full Content-Length but only half the body, and close;
- ``duplicate``: forward the request twice and answer with the second reply.

The same seed gives the same schedule of faults (the timing of threads aside).
Used by tests/test_sync_faults.py.
"""

from __future__ import annotations

import http.client
import random
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

FAULTS = ("pass", "drop_before", "drop_after", "delay", "stall", "error_500", "error_502", "cut", "duplicate")
DEFAULT_RATES = {"drop_before": 0.06, "drop_after": 0.08, "delay": 0.08, "stall": 0.02, "error_500": 0.05,
                 "error_502": 0.05, "cut": 0.08, "duplicate": 0.08}
_HOP = {"connection", "keep-alive", "transfer-encoding", "host", "content-length", "proxy-connection", "date", "server"}


class FaultProxy:
    """Start it, point the station at ``url``, stop it; ``seen`` counts the faults dealt."""

    def __init__(self, upstream: str, seed: int, rates: dict[str, float] | None = None,
                 stall_seconds: float = 1.3) -> None:
        parts = urlsplit(upstream)
        self.host, self.port = parts.hostname, parts.port
        self.rates = dict(DEFAULT_RATES if rates is None else rates)
        self.stall_seconds = stall_seconds
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self.seen: Counter[str] = Counter()
        self.enabled = True
        proxy = self

        class Handler(_Handler):
            owner = proxy

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(10)

    def choose(self) -> tuple[str, float]:
        """The fault for the next request, and a random number for it (delays, cut points)."""
        with self._lock:
            roll, extra = self._rng.random(), self._rng.random()
            fault = "pass"
            if self.enabled:
                edge = 0.0
                for name, rate in self.rates.items():
                    edge += rate
                    if roll < edge:
                        fault = name
                        break
            self.seen[fault] += 1
            return fault, extra

    def forward(self, method: str, path: str, headers: dict, body: bytes) -> tuple[int, list, bytes]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            conn.request(method, path, body=body or None, headers=headers)
            r = conn.getresponse()
            return r.status, [(k, v) for k, v in r.getheaders() if k.lower() not in _HOP], r.read()
        finally:
            conn.close()


class _Handler(BaseHTTPRequestHandler):
    owner: FaultProxy
    protocol_version = "HTTP/1.1"

    def log_message(self, *_args) -> None:
        pass

    def _relay(self) -> None:
        proxy = self.owner
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP}
        fault, extra = proxy.choose()
        if fault == "drop_before":
            return self._drop()
        if fault in ("error_500", "error_502"):
            return self._own_error(fault)
        if fault == "delay":
            time.sleep(0.02 + 0.15 * extra)
        if fault == "stall":
            time.sleep(proxy.stall_seconds)
        status, reply_headers, data = proxy.forward(self.command, self.path, headers, body)
        if fault == "duplicate":
            status, reply_headers, data = proxy.forward(self.command, self.path, headers, body)
        if fault == "drop_after":
            return self._drop()
        self._answer(status, reply_headers, data, cut=(fault == "cut"), at=extra)

    do_GET = do_POST = _relay

    def _drop(self) -> None:
        self.close_connection = True

    def _own_error(self, fault: str) -> None:
        if fault == "error_500":
            self._answer(500, [("Content-Type", "text/plain")], b"Internal Server Error")
        else:
            page = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"
            self._answer(502, [("Content-Type", "text/html")], page)

    def _answer(self, status: int, headers: list, data: bytes, *, cut: bool = False, at: float = 0.5) -> None:
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        if cut:
            self.send_header("Connection", "close")
        self.end_headers()
        if cut:
            self.wfile.write(data[: int(len(data) * (0.1 + 0.8 * at))])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(data)
