"""``python -m bench``: run every benchmark and print its figures.

``python -m bench residents crash`` runs only the sections named; ``--residents N`` and
``--burst N`` size the load and crash runs (``BENCH_RESIDENTS`` and ``BENCH_BURST`` also do).
"""

from __future__ import annotations

import argparse
import time

from . import crash, dashboard, delivery, evidence, printouts, replication, residents, web

SECTIONS = {
    "web": web.main,
    "printouts": printouts.main,
    "delivery": delivery.main,
    "dashboard": dashboard.main,
    "evidence": evidence.main,
    "replication": replication.main,
    "residents": None,
    "crash": None,
}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Run the benchmarks and print their figures.")
    parser.add_argument("sections", nargs="*", metavar="SECTION",
                        help=f"only these: {', '.join(SECTIONS)} (default: all)")
    parser.add_argument("--residents", type=int, help="residents walking forms at once (default 200)")
    parser.add_argument("--burst", type=int, help="submissions in the burst the server is killed in (default 30)")
    options = parser.parse_args()
    unknown = [name for name in options.sections if name not in SECTIONS]
    if unknown:
        parser.error(f"no benchmark called {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    runs = {**SECTIONS, "residents": lambda: residents.main(options.residents),
            "crash": lambda: crash.main(options.burst)}
    for name in options.sections or SECTIONS:
        began = time.perf_counter()
        for line in runs[name]():
            print(line, flush=True)
        print(f"  ({name}: {time.perf_counter() - began:.0f} s)", flush=True)
        print(flush=True)


if __name__ == "__main__":
    main()
