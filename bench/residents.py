"""Many residents at once: each walks a whole form, start to confirmation, over real HTTP.

``python -m bench residents [--residents N]`` runs just this (``BENCH_RESIDENTS`` also sets N;
default 200). The real ``assist serve`` runs under waitress in its own process with
``--connection-limit`` above N, so every resident keeps its keep-alive connection open for the
whole walk; each resident is one client thread with its own cookies and CSRF tokens, answering
with no pause between pages (far harsher than people, who read each page).

Reported: residents held at once, requests/s and forms completed/s, p50/p99 latency of every
request, errors (a status other than the expected one, a wrong page, or a failed connection),
and that every reference shown on a confirmation page is stored once, for its own journey.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import checks
from .live import ROOT, LiveServer
from .walker import Resident
from .web import free_port

DEFAULT_RESIDENTS = 200
SERVER_THREADS = 8


@dataclass
class Walk:
    """One resident's walk: when it was first served and finished, its reference or error."""

    latencies: list[float] = field(default_factory=list)
    first_served: float | None = None
    finished: float | None = None
    reference: str | None = None
    error: str | None = None


def walk_form(port: int, form, barrier: threading.Barrier, walk: Walk) -> None:
    """Wait for everyone, then walk ``form`` to its confirmation page as one resident."""
    resident = Resident(port)
    try:
        barrier.wait()
        resident.request("GET", "/")  # the council's list of forms, as a resident would arrive
        walk.first_served = time.perf_counter()
        token = resident.walk_to_check_answers(form)
        walk.reference = resident.submit(form, token)
    except Exception as error:  # noqa: BLE001 - every failure is an error to count
        walk.error = f"{type(error).__name__}: {error}"
    finally:
        walk.finished = time.perf_counter()
        walk.latencies = resident.latencies
        resident.close()


def most_at_once(walks: list[Walk]) -> int:
    """The largest number of residents that had been served and had not yet finished, at one moment."""
    events = sorted([(w.first_served, 1) for w in walks if w.first_served is not None]
                    + [(w.finished, -1) for w in walks if w.first_served is not None])
    held = peak = 0
    for _, change in events:
        held += change
        peak = max(peak, held)
    return peak


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000 if ordered else 0.0


def run(residents: int) -> list[str]:
    """Run ``residents`` residents against a fresh server; return the report lines."""
    from assist.engine import load_forms

    forms = list(load_forms(ROOT / "forms").values())
    with tempfile.TemporaryDirectory(prefix="assist-residents-") as folder:
        server = LiveServer(Path(folder), free_port(), threads=SERVER_THREADS, connection_limit=residents + 50)
        with server:
            warmed = set()
            for form in forms:  # warm up: templates compiled, every form's pages rendered once
                warm = Resident(server.port)
                warmed.add(warm.submit(form, warm.walk_to_check_answers(form)))
                warm.close()
            walks = [Walk() for _ in range(residents)]
            barrier = threading.Barrier(residents + 1)
            threads = [threading.Thread(target=walk_form, args=(server.port, forms[i % len(forms)], barrier, walks[i]))
                       for i in range(residents)]
            for thread in threads:
                thread.start()
            client_cpu, server_cpu = time.process_time(), server.cpu_seconds()
            barrier.wait()
            began = time.perf_counter()
            for thread in threads:
                thread.join()
            seconds = time.perf_counter() - began
            client_cpu, server_cpu = time.process_time() - client_cpu, server.cpu_seconds() - server_cpu
        stored = [row for row in checks.stored_submissions(server.data_dir / "assist.sqlite3") if row[0] not in warmed]
    acknowledged = [w.reference for w in walks if w.reference]
    findings = checks.reference_findings(acknowledged, stored)
    latencies = [latency for w in walks for latency in w.latencies]
    errors = [w.error for w in walks if w.error]
    lines = [
        f"Residents walking whole forms at once ({residents} residents, each a keep-alive connection; "
        f"assist serve: {SERVER_THREADS} threads, connection limit {residents + 50})",
        f"  residents held at once: {most_at_once(walks)} of {residents}; completed {len(acknowledged)} forms "
        f"({', '.join(f.id for f in forms)}) in {seconds:.1f} s",
        f"  throughput: {len(latencies) / seconds:.1f} requests/s, {len(acknowledged) / seconds:.2f} forms/s   "
        f"p50 {percentile(latencies, 50):.1f} ms   p99 {percentile(latencies, 99):.1f} ms   errors {len(errors)}",
        f"  references: {findings.line()}",
        f"  CPU: server {server_cpu:.1f} s ({server_cpu / seconds:.0%} of one core), load client {client_cpu:.1f} s, "
        f"over {seconds:.1f} s on {os.cpu_count()} cores shared by both (and anything else running): "
        + ("the client took a large share, so the figures understate the server" if client_cpu > server_cpu / 4
           else "the client is cheap; below 100% of a core the server waited for the disk or other processes"),
        f"  (no pause between pages, so latency is mostly waiting in line: {residents} residents / "
        f"{len(latencies) / seconds:.0f} requests/s = {residents / (len(latencies) / seconds):.1f} s)",
    ]
    for error in sorted(set(errors))[:5]:
        lines.append(f"  error: {error}")
    verdict = "OK" if not errors and findings.ok and findings.found == residents else "FAILED"
    lines.append(f"  {verdict}: {len(errors)} errors, {findings.found}/{residents} references stored once")
    return lines


def main(residents: int | None = None) -> list[str]:
    """The residents benchmark with ``residents`` (default ``$BENCH_RESIDENTS`` or 200)."""
    return run(residents or int(os.environ.get("BENCH_RESIDENTS", DEFAULT_RESIDENTS)))
