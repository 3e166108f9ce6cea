"""``python -m bench``: run every benchmark and print its figures."""

from __future__ import annotations

from . import web


def main() -> None:
    for line in web.main():
        print(line, flush=True)


if __name__ == "__main__":
    main()
