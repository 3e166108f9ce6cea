"""QR codes for printouts, made in memory with segno."""

from __future__ import annotations

from functools import lru_cache

import segno


@lru_cache(maxsize=256)
def qr_data_uri(text: str, scale: int = 4) -> str:
    """An SVG ``data:`` URI of a QR code holding ``text`` (error correction level M, quiet zone kept)."""
    code = segno.make(text, error="m", micro=False)
    return code.svg_data_uri(scale=scale, border=4, dark="#000", light="#fff", omitsize=False)
