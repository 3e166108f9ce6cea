"""Serving the app with waitress, as ``assist serve`` does."""

from __future__ import annotations

import gc

from waitress import create_server, serve

MEGABYTE = 1024 * 1024
#: Seconds a connection may sit idle (a half-sent request included) before waitress closes it. Long
#: enough for a slow tablet on poor Wi-Fi to send one evidence file's next packet; short enough that
#: connections left half-open are gone well before they could pile up to the connection limit.
CHANNEL_TIMEOUT = 20
#: How often (seconds) waitress looks for connections past ``CHANNEL_TIMEOUT``.
CLEANUP_INTERVAL = 5


def server_options(config, *, host: str = "127.0.0.1", port: int = 5000, threads: int = 8,
                   connection_limit: int = 400) -> dict:
    """The waitress options ``assist serve`` uses (and the tests' live server), for ``config``.

    ``max_request_body_size`` is a little above the largest request the app accepts (one evidence
    file of ``uploads.max_file_mb`` plus 1 MB for the rest of the form), so waitress answers 413
    itself to anything larger instead of first spooling it to a temporary file. Half-open
    connections do not hold a worker thread (waitress reads requests in its own loop), and are
    closed after ``CHANNEL_TIMEOUT`` seconds idle.
    """
    return {
        "host": host,
        "port": port,
        "threads": threads,
        "connection_limit": connection_limit,
        "max_request_body_size": (config.uploads.max_file_mb + 1) * MEGABYTE,
        "channel_timeout": CHANNEL_TIMEOUT,
        "cleanup_interval": CLEANUP_INTERVAL,
        "ident": "assist",
    }


def make_server(app, options: dict):
    """A waitress server for ``app`` with ``options`` (from :func:`server_options`), not yet running."""
    return create_server(app, **options)


def serve_app(app, **options) -> None:
    """Serve ``app`` with waitress (``options`` as :func:`waitress.serve` takes them).

    What start-up loaded (forms, templates, translations, libraries) stays for the life of the
    process, so it is first set aside from the garbage collector (``gc.freeze``): its collections
    then go through only what requests make, not tens of thousands of objects that never go away.
    """
    gc.collect()
    gc.freeze()
    serve(app, **options)
