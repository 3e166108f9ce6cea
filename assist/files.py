"""Durable file writes shared by delivery (folder destination) and the data key file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so a reader sees the whole file or none of it, owner-only (0600).

    A hidden temporary file in the same folder, flushed to disk, then renamed over ``path``
    (``os.replace`` is atomic within a file system), then the folder itself synced.
    """
    temporary = _write_temporary(path, data)
    try:
        os.replace(temporary, path)
    except BaseException:
        _remove(temporary)
        raise
    sync_folder(path.parent)


def write_once(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` (0600) only if there is no file there yet, durably and whole.

    Returns False when another process made the file first; an existing file is never replaced."""
    temporary = _write_temporary(path, data)
    try:
        os.link(temporary, path)
        made = True
    except FileExistsError:
        made = False
    finally:
        _remove(temporary)
    sync_folder(path.parent)
    return made


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename or a new file) to disk, where the file system allows it."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _write_temporary(path: Path, data: bytes) -> str:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")  # 0600
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
    except BaseException:
        _remove(temporary)
        raise
    return temporary


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
