"""Optional malware scanning of uploads through a ClamAV daemon (clamd).

A council that runs ClamAV gives the daemon's address ("tcp://127.0.0.1:3310" or
"unix:///run/clamav/clamd.ctl"); each upload is sent with clamd's INSTREAM command. The client
is clamdpy (maintained, no dependencies, INSTREAM over TCP and unix sockets with a socket
timeout), used with the null-terminated ``z`` commands. The older ``clamd`` package was not
used: it dates from 2014 and imports ``pkg_resources``, which setuptools is removing.

Any answer other than a clear "OK" or "FOUND" (no daemon listening, a timeout, a daemon that
closes the connection, an "INSTREAM size limit exceeded" error) is UNAVAILABLE: the app decides
what that means for the resident. Nothing about the file is logged.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from io import BytesIO
from urllib.parse import urlsplit

from clamdpy import ClamdNetworkSocket, ClamdUnixSocket
from clamdpy.exceptions import ClamdException

#: Bytes sent in each INSTREAM chunk (clamd's StreamMaxLength, 25 MB by default, caps the whole stream).
CHUNK_BYTES = 64 * 1024


class ScanResult(enum.Enum):
    """What clamd said about a file."""

    CLEAN = "clean"
    INFECTED = "infected"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class Scanner:
    """A clamd daemon at ``address`` ("tcp://host:port" or "unix:///path/to/clamd.ctl").

    An address of any other shape raises ValueError when the Scanner is made, so a mistake in the
    config shows at start-up rather than as every upload being refused."""

    address: str
    timeout: float = 10.0

    def __post_init__(self):
        _client(self.address, self.timeout)

    def scan(self, data: bytes) -> ScanResult:
        """Send ``data`` to clamd with INSTREAM: CLEAN, INFECTED, or UNAVAILABLE if there is no clear answer."""
        try:
            answer = _client(self.address, self.timeout).instream(BytesIO(data))
        except (ClamdException, OSError, ValueError):  # ValueError: an answer that is not UTF-8
            return ScanResult.UNAVAILABLE
        if answer.status == "OK":
            return ScanResult.CLEAN
        if answer.status == "FOUND":
            return ScanResult.INFECTED
        return ScanResult.UNAVAILABLE


def _client(address: str, timeout: float) -> ClamdNetworkSocket:
    parts = urlsplit(address)
    if parts.scheme == "unix" and not parts.netloc and parts.path.startswith("/"):
        return ClamdUnixSocket(parts.path, timeout=timeout, max_chunk_size=CHUNK_BYTES, line_terminator="z")
    if parts.scheme == "tcp" and parts.hostname and not parts.path.strip("/"):
        try:
            port = parts.port
        except ValueError:
            port = None
        if port and ":" not in parts.hostname:  # clamdpy connects over IPv4 only
            return ClamdNetworkSocket(parts.hostname, port, timeout=timeout, max_chunk_size=CHUNK_BYTES,
                                      line_terminator="z")
    raise ValueError('a clamd address is "tcp://HOST:PORT" (IPv4 or a host name) or "unix:///PATH"')
