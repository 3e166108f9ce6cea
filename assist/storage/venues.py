"""Venues: where helpers work and kiosks stand. The database is the source of truth;
``config.toml`` ``[[venues]]`` entries are added to it when missing (see :meth:`VenuesMixin.seed_venues`)."""

from __future__ import annotations

import re

VENUE_MODES = ("assisted", "kiosk", "both")
_VENUE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


def _row(cursor) -> dict | None:
    values = cursor.fetchone()
    if values is None:
        return None
    return dict(zip([c[0] for c in cursor.description], values))


class VenuesMixin:
    """Venue methods of :class:`assist.storage.Store`."""

    def add_venue(self, venue_id: str, name: str, address: str | None = None, mode: str = "assisted") -> bool:
        """Add a venue; returns False (and changes nothing) if ``venue_id`` already exists."""
        if not _VENUE_ID.match(venue_id or ""):
            raise ValueError(f"venue id must be lowercase letters, digits and hyphens, not {venue_id!r}")
        if mode not in VENUE_MODES:
            raise ValueError(f"venue mode must be one of {', '.join(VENUE_MODES)}, not {mode!r}")
        if not (name or "").strip():
            raise ValueError("a venue needs a name")
        with self.transaction() as db:
            if db.execute("select 1 from venues where id = ?", [venue_id]).fetchone():
                return False
            db["venues"].insert(
                {"id": venue_id, "name": name.strip(), "address": address or "", "mode": mode, "active": 1,
                 "created_at": self._now()}
            )
        return True

    def get_venue(self, venue_id: str) -> dict | None:
        """The venue, or ``None``."""
        return _row(self.db.execute("select * from venues where id = ?", [venue_id]))

    def list_venues(self, include_inactive: bool = False) -> list[dict]:
        """Venues by name."""
        where = "" if include_inactive else "where active = 1"
        cursor = self.db.execute(f"select * from venues {where} order by name collate nocase")
        columns = [c[0] for c in cursor.description]
        return [dict(zip(columns, values)) for values in cursor.fetchall()]

    def seed_venues(self, venues) -> int:
        """Add the venues of ``config.toml`` that the database does not have yet; returns how many.

        Existing venues are left as they are: after the first start the database decides.
        ``venues`` are objects or dicts with ``id``, ``name`` and optionally ``address``, ``mode``.
        """
        added = 0
        for venue in venues or ():
            get = venue.get if isinstance(venue, dict) else (lambda key, default=None, v=venue: getattr(v, key, default))
            address = get("address", "")
            if isinstance(address, (list, tuple)):
                address = ", ".join(address)
            if self.add_venue(get("id"), get("name"), address or "", get("mode", "assisted") or "assisted"):
                added += 1
        return added
