"""A small closed-loop load generator over keep-alive HTTP connections on loopback."""

from __future__ import annotations

import http.client
import re
import socket
import statistics
import threading
import time
from dataclasses import dataclass


@dataclass
class Result:
    """Throughput and latency of one measured run."""

    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    @classmethod
    def combined(cls, parts: list["Result"]) -> "Result":
        """One result for several runs: all their requests over all their time."""
        return cls(sum(part.requests for part in parts), sum(part.errors for part in parts),
                   sum(part.seconds for part in parts), [latency for part in parts for latency in part.latencies])

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000

    def line(self, name: str) -> str:
        return (
            f"{name:<34} {self.rps:8.1f} req/s   p50 {self.percentile(50):6.2f} ms   "
            f"p99 {self.percentile(99):6.2f} ms   errors {self.errors}"
        )


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    return match.group(1) if match else ""


def request_bytes(port: int, method: str, path: str, cookie: str | None, body: bytes | None) -> bytes:
    """One HTTP/1.1 keep-alive request, as sent on the wire."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    if body is not None:
        lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
    return "\r\n".join(lines).encode() + b"\r\n\r\n" + (body or b"")


def _read_response(sock: socket.socket, buffer: bytearray) -> int:
    """Read one response with a Content-Length from ``sock``; return its status (``buffer`` keeps extra bytes)."""
    while (end := buffer.find(b"\r\n\r\n")) < 0:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        buffer += chunk
    head = bytes(buffer[:end]).decode("latin-1").split("\r\n")
    length = next(int(line.split(":", 1)[1]) for line in head[1:] if line.lower().startswith("content-length:"))
    while len(buffer) < end + 4 + length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        buffer += chunk
    del buffer[: end + 4 + length]
    return int(head[0].split()[1])


def run(port: int, method: str, path: str, cookie: str | None, bodies: list[bytes] | None,
        expect: int, total: int = 1500, concurrency: int = 4) -> Result:
    """Send ``total`` requests from ``concurrency`` threads, each on its own keep-alive connection.

    Requests are built once and sent as raw bytes (``bodies`` in turn, for POST), so the load
    generator spends as little as it can of the CPU it shares with the server.
    """
    requests = [request_bytes(port, method, path, cookie, body) for body in (bodies or [None])]
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    per_thread = total // concurrency

    def worker(offset: int):
        sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        buffer = bytearray()
        local, failed = [], 0
        for number in range(per_thread):
            start = time.perf_counter()
            sock.sendall(requests[(offset + number * concurrency) % len(requests)])
            status = _read_response(sock, buffer)
            local.append(time.perf_counter() - start)
            failed += status != expect
        sock.close()
        with lock:
            latencies.extend(local)
            errors[0] += failed

    threads = [threading.Thread(target=worker, args=(offset,)) for offset in range(concurrency)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Result(len(latencies), errors[0], time.perf_counter() - began, latencies)


def fetch(port: int, path: str, cookie: str | None) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    html = conn.getresponse().read().decode()
    conn.close()
    return html


def median(values):
    return statistics.median(values)
