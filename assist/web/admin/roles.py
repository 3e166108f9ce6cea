"""Who is signed in to the admin area, and which venues they may see."""

from __future__ import annotations

from ..core.app import store
from ..core.helper import ADMIN, helper_session


def me() -> dict:
    """The signed-in person (a helper row with its role and venues)."""
    return helper_session()["helper"]


def is_admin() -> bool:
    """Whether the signed-in person is a council admin."""
    return me()["role"] == ADMIN


def allowed_venues() -> list[str] | None:
    """The venues this person may see: ``None`` (all) for council admins, else their own."""
    return None if is_admin() else list(me().get("venues") or [])


def venue_names() -> dict[str, str]:
    """Every venue's name by id, closed ones included."""
    return {v["id"]: v["name"] for v in store().list_venues(include_inactive=True)}


def visible_venues() -> list[dict]:
    """The venues this person may see."""
    allowed = allowed_venues()
    return [v for v in store().list_venues(include_inactive=True) if allowed is None or v["id"] in allowed]
