"""Question page GET and POST through waitress, against a bare Flask + Jinja baseline."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from urllib.parse import urlencode

from . import load

TARGET = 0.6


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def server(kind: str):
    """Run ``bench.servers <kind>`` in its own process; yield ``(port, path, cookie)``."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.servers", kind, str(port)], stdout=subprocess.PIPE, text=True
    )
    try:
        line = process.stdout.readline().split()
        if not line or line[0] != "READY":
            raise RuntimeError(f"{kind} server did not start")
        for _ in range(100):  # wait until waitress listens
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        cookie = None if line[2] == "-" else line[2]
        yield port, line[1], cookie
    finally:
        process.terminate()
        process.wait(timeout=10)


def measure(kind: str, total: int) -> tuple[load.Result, load.Result]:
    """GET and POST results for one server."""
    with server(kind) as (port, path, cookie):
        html = load.fetch(port, path, cookie)
        prefix = re.search(r'name="([a-z0-9-]+)-day"', html).group(1)
        # A different date each time, as residents' answers differ: SQLite skips rewriting a row that
        # does not change, so the same answer over and over would not be a durable write at all.
        bodies = [
            urlencode({"csrf_token": load.csrf_token(html), f"{prefix}-day": str(day), f"{prefix}-month": "5",
                       f"{prefix}-year": "1950"}).encode()
            for day in range(1, 29)
        ]
        load.run(port, "GET", path, cookie, None, 200, total=200)  # warm up
        get = load.run(port, "GET", path, cookie, None, 200, total=total)
        post = load.run(port, "POST", path, cookie, bodies, 302, total=total)
        return get, post


def main(total: int = 2000) -> list[str]:
    """Run the benchmark and return the report lines."""
    base_get, base_post = measure("baseline", total)
    app_get, app_post = measure("assist", total)
    lines = ["Question page through waitress (4 server threads, 4 keep-alive clients)"]
    lines += [
        base_get.line("baseline GET (bare Flask + Jinja)"),
        app_get.line("assist GET"),
        base_post.line("baseline POST"),
        app_post.line("assist POST (validate + save)"),
    ]
    for name, app, base in (("GET", app_get, base_get), ("POST", app_post, base_post)):
        ratio = app.rps / base.rps
        verdict = "meets" if ratio >= TARGET else "BELOW"
        lines.append(f"ratio {name}: {ratio:.2f} of baseline throughput ({verdict} target {TARGET})")
    return lines
