"""Serving the app with waitress, as ``assist serve`` does."""

from __future__ import annotations

import gc

from waitress import serve


def serve_app(app, **options) -> None:
    """Serve ``app`` with waitress (``options`` as :func:`waitress.serve` takes them).

    What start-up loaded (forms, templates, translations, libraries) stays for the life of the
    process, so it is first set aside from the garbage collector (``gc.freeze``): its collections
    then go through only what requests make, not tens of thousands of objects that never go away.
    """
    gc.collect()
    gc.freeze()
    serve(app, **options)
