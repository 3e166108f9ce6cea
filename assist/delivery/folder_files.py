"""The folder destination's files: sealed for the back office with the delivery key, found again to purge.

When ``$ASSIST_DELIVERY_KEY`` (``delivery.folder_key_env``) holds a key, each file the folder
destination writes is sealed with it (AES-256-GCM, the same envelope as answers in the database,
:meth:`assist.storage.crypto.KeyRing.seal_bytes`) and named ``<name>.enc``; the envelope is bound
to the file's name, so a file renamed to pass for another does not open. ``assist decrypt`` opens
them. The delivery key is not the data key: the back office holds it, the database never sees it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ..storage.crypto import KeyRing, decode_key

SEALED_SUFFIX = ".enc"


def folder_key_ring(settings) -> KeyRing | None:
    """The key ring sealing folder deliveries, or ``None`` when no delivery key is set (plain files)."""
    text = getattr(settings, "folder_key", "")
    if not text:
        return None
    return KeyRing([decode_key(text, f"${settings.folder_key_env}")])


def _context(name: str) -> str:
    return f"delivery folder|{name}"


def seal_file(ring: KeyRing, name: str, data: bytes) -> bytes:
    """``data`` sealed for the file ``name`` (its name before ``.enc`` is added)."""
    return ring.seal_bytes(data, _context(name))


def open_file(ring: KeyRing, path: Path) -> tuple[str, bytes]:
    """``(plain name, bytes)`` of the sealed file at ``path`` (``<name>.enc``)."""
    name = path.name.removesuffix(SEALED_SUFFIX)
    return name, ring.open_bytes(path.read_bytes(), _context(name))


def delivered_paths(folder: Path, reference: str) -> list[Path]:
    """The files and the evidence folder the folder destination wrote for ``reference`` that are there."""
    names = [f"{reference}{ending}" for ending in (".json", ".pdf", "-files")]
    candidates = [folder / name for name in names] + [folder / (name + SEALED_SUFFIX) for name in names[:2]]
    return [path for path in candidates if path.exists()]


def remove_delivered(folder: Path, references) -> int:
    """Delete what the folder destination wrote for ``references``; how many files went."""
    removed = 0
    for reference in references:
        for path in delivered_paths(Path(folder), reference):
            if path.is_dir():
                removed += sum(1 for item in path.iterdir() if item.is_file())
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
                removed += 1
    return removed
