"""Question page GET and POST through waitress, against a bare Flask + Jinja baseline."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from urllib.parse import urlencode

from . import load

TARGET = 0.6
ROUNDS = 10
#: The servers measured, in the order each round loads them (see :mod:`bench.servers`).
SERVERS = ("baseline", "same-job", "assist", "assist-conditions")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def server(kind: str):
    """Run ``bench.servers <kind>`` in its own process; yield ``(port, path, (cookie, cookie))``: a
    resident who only looks at the page and one who answers it (``None`` for the baseline)."""
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
        yield port, line[1], tuple(None if cookie == "-" else cookie for cookie in line[2:4])
    finally:
        process.terminate()
        process.wait(timeout=10)


def _post_bodies(port: int, path: str, cookie: str | None) -> list[bytes]:
    html = load.fetch(port, path, cookie)
    prefix = re.search(r'name="([a-z0-9-]+)-day"', html).group(1)
    # A different date each time, as residents' answers differ: SQLite skips rewriting a row that
    # does not change, so the same answer over and over would not be a durable write at all.
    return [
        urlencode({"csrf_token": load.csrf_token(html), f"{prefix}-day": str(day), f"{prefix}-month": "5",
                   f"{prefix}-year": "1950"}).encode()
        for day in range(1, 29)
    ]


#: What is measured: (name, method, which resident, expected status).
RUNS = (
    ("GET", "GET", 0, 200),  # a page nobody has answered yet: how residents arrive at each question
    ("POST", "POST", 1, 302),  # answering it: validate and save durably
    ("GET answered", "GET", 1, 200),  # coming back to it (Back, or Change from check answers)
)


def measure(total: int, rounds: int = ROUNDS) -> dict[tuple[str, str], list[load.Result]]:
    """Results of each of :data:`RUNS` for the three servers, run side by side: one per round.

    The load alternates between the servers in ``rounds`` short rounds, so a slow patch of the
    machine (another process, a noisy neighbour) falls on all alike instead of on one of them.
    """
    with ExitStack() as stack:
        targets = {}
        for kind in SERVERS:
            port, path, cookies = stack.enter_context(server(kind))
            targets[kind] = (port, path, cookies, _post_bodies(port, path, cookies[1]))
            load.run(port, "GET", path, cookies[0], None, 200, total=200)  # warm up
        results: dict[tuple[str, str], list[load.Result]] = {}
        for _ in range(rounds):
            for name, method, resident, expect in RUNS:
                for kind, (port, path, cookies, bodies) in targets.items():
                    result = load.run(port, method, path, cookies[resident], bodies if method == "POST" else None,
                                      expect, total=total // rounds)
                    results.setdefault((kind, name), []).append(result)
    return results


def paired_ratio(assist: list[load.Result], baseline: list[load.Result]) -> float:
    """The median over rounds of assist's throughput over the baseline's in the same round."""
    return load.median([mine.rps / theirs.rps for mine, theirs in zip(assist, baseline)])


def main(total: int = 3000) -> list[str]:
    """Run the benchmark and return the report lines."""
    rounds = measure(total)
    results = {key: load.Result.combined(parts) for key, parts in rounds.items()}
    lines = [f"Question page through waitress (4 server threads, 4 keep-alive clients; {ROUNDS} alternating rounds)"]
    for name, _method, _resident, _expect in RUNS:
        lines += [results[kind, name].line(f"{kind} {name}") for kind in SERVERS]
    lines.append("baseline: bare Flask + Jinja; same-job: the same, with a session per resident, "
                 "CSRF checked, answers merged")
    lines.append("assist-conditions: the date-of-birth page after ten pages asked on combined conditions, "
                 "with a rule across answers and a route on earlier answers")
    for kind in ("assist", "assist-conditions"):
        for name, _method, _resident, _expect in RUNS:
            ratio = paired_ratio(rounds[kind, name], rounds["baseline", name])
            same_job = paired_ratio(rounds[kind, name], rounds["same-job", name])
            verdict = "for information" if name == "GET answered" else (
                f"{'meets' if ratio >= TARGET else 'BELOW'} target {TARGET}")
            lines.append(f"ratio {kind} {name}: {ratio:.2f} of baseline throughput, median of rounds ({verdict}); "
                         f"{same_job:.2f} of same-job")
    return lines
