"""The admin area's notification banners: after an action, the next page says what happened.

Views :func:`flask.flash` a message with :data:`DONE` (a success banner) or :data:`NOTE` (an
"Important" banner, when nothing changed); ``admin/_banner.html`` shows them once. The messages
live in the server-side session, never in the URL.
"""

from __future__ import annotations

DONE = "done"
NOTE = "note"
