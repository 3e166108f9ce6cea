"""``python -m bench``: run every benchmark and print its figures."""

from __future__ import annotations

from . import dashboard, delivery, printouts, web


def main() -> None:
    for section in (web.main, printouts.main, delivery.main, dashboard.main):
        for line in section():
            print(line, flush=True)
        print(flush=True)


if __name__ == "__main__":
    main()
