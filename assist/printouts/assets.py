"""The printouts' own files (templates, print CSS) and the URL fetcher that serves only them."""

from __future__ import annotations

import mimetypes
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..paths import printouts_dir

#: The top-level ``printouts/`` folder (``share/assist/printouts`` when installed): templates and print CSS.
PRINTOUTS_DIR = printouts_dir()
#: The base URL of every printout; relative links in templates resolve under it.
SCHEME = "assist-printouts"
BASE_URL = f"{SCHEME}:///"


class RefusedURL(ValueError):
    """A printout tried to load something from outside its own assets (network, local files)."""


class AssetFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves files under ``directory`` and nothing else.

    ``assist-printouts:///print.css`` is ``<directory>/print.css``; ``data:`` URLs (the QR
    codes, made in memory) are decoded in memory. Every other URL — ``http:``, ``https:``,
    ``file:``, ``ftp:`` … — raises :class:`RefusedURL`, as does a path that leaves
    ``directory``. WeasyPrint logs the error and leaves the resource out, so text typed by a
    resident can never make the server fetch anything.
    """

    def __init__(self, directory: Path = PRINTOUTS_DIR):
        super().__init__(timeout=1, allowed_protocols=["data"])
        self.directory = Path(directory).resolve()

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != SCHEME:
            raise RefusedURL(f"printouts only load their own files, not {url[:80]!r}")
        path = self.path_of(url)
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": media_type})

    def path_of(self, url: str) -> Path:
        """The file under ``directory`` that ``url`` names; :class:`RefusedURL` if outside it."""
        parts = urlsplit(url)
        relative = PurePosixPath(unquote(parts.path).lstrip("/"))
        if parts.netloc or ".." in relative.parts or not relative.parts:
            raise RefusedURL(f"not a printout asset: {url[:80]!r}")
        path = (self.directory / relative).resolve()
        if self.directory not in path.parents or not path.is_file():
            raise RefusedURL(f"not a printout asset: {url[:80]!r}")
        return path
