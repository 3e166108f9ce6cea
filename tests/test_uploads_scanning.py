"""Uploads: virus scanning through clamd, against a fake clamd on a loopback or unix socket that reads
the INSTREAM protocol as the real one does."""

from __future__ import annotations

import socket
import socketserver
import struct
import threading
import time

import pytest

from assist.uploads import Scanner, ScanResult
from assist.uploads.scanning import CHUNK_BYTES

# The EICAR test file, put together here so this file itself does not look like it to a virus scanner.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-" + b"TEST-FILE!$H+H*"
MARKER = b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE"


class FakeClamd(socketserver.BaseRequestHandler):
    """One clamd connection: a null-terminated command, then INSTREAM's length-prefixed chunks."""

    def handle(self):
        server, stream = self.server, self.request.makefile("rb")
        command = bytearray()
        while (byte := stream.read(1)) not in (b"", b"\0"):
            command += byte
        server.commands.append(bytes(command))
        if command != b"zINSTREAM":
            self.request.sendall(b"UNKNOWN COMMAND\0")
            return
        received = bytearray()
        while True:
            head = stream.read(4)
            if len(head) < 4:
                return  # the client went away mid-stream
            (size,) = struct.unpack("!I", head)
            if size == 0:
                break
            server.chunk_sizes.append(size)
            received += stream.read(size)
        server.received.append(bytes(received))
        if server.behaviour == "silent":
            server.release.wait(timeout=30)  # never answers; released when the test ends
        elif server.behaviour == "hang up":
            pass
        elif server.behaviour == "too long":
            self.request.sendall(b"INSTREAM size limit exceeded. ERROR\0")
        elif server.behaviour == "nonsense":
            self.request.sendall(b"PONG\0")
        elif MARKER in received:
            self.request.sendall(b"stream: Eicar-Test-Signature FOUND\0")
        else:
            self.request.sendall(b"stream: OK\0")


class FakeClamdTCP(socketserver.ThreadingMixIn, socketserver.TCPServer):
    allow_reuse_address = True


class FakeClamdUnix(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    pass


@pytest.fixture
def clamd():
    """Start fake clamds: ``clamd(behaviour)`` on 127.0.0.1, or ``clamd(behaviour, path)`` on a unix socket.
    Each is stopped, and its threads joined, when the test ends."""
    started = []

    def start(behaviour: str = "scan", path=None):
        if path is None:
            server = FakeClamdTCP(("127.0.0.1", 0), FakeClamd)
            address = f"tcp://127.0.0.1:{server.server_address[1]}"
        else:
            server = FakeClamdUnix(str(path), FakeClamd)
            address = f"unix://{path}"
        server.behaviour, server.release = behaviour, threading.Event()
        server.commands, server.received, server.chunk_sizes = [], [], []
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
        thread.start()
        started.append((server, thread))
        return server, address

    yield start
    for server, thread in started:
        server.release.set()
        server.shutdown()
        server.server_close()  # joins the connection threads too
        thread.join(timeout=10)
        assert not thread.is_alive()


def unused_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_clean_file_is_clean_and_reaches_clamd_whole(clamd):
    server, address = clamd()
    data = bytes(range(256)) * 1000  # 256 KB: several chunks
    assert Scanner(address).scan(data) is ScanResult.CLEAN
    assert server.commands == [b"zINSTREAM"]
    assert server.received == [data]
    assert max(server.chunk_sizes) <= CHUNK_BYTES and len(server.chunk_sizes) > 1


def test_the_eicar_test_file_is_infected(clamd):
    _, address = clamd()
    assert Scanner(address).scan(b"%PDF-1.4\n" + EICAR + b"\n") is ScanResult.INFECTED


def test_an_empty_file_is_sent_as_an_empty_stream(clamd):
    server, address = clamd()
    assert Scanner(address).scan(b"") is ScanResult.CLEAN
    assert server.received == [b""]


def test_no_clamd_listening_is_unavailable_at_once():
    started = time.monotonic()
    assert Scanner(f"tcp://127.0.0.1:{unused_port()}").scan(b"hello") is ScanResult.UNAVAILABLE
    assert time.monotonic() - started < 2


def test_a_clamd_that_never_answers_is_unavailable_after_the_timeout(clamd):
    server, address = clamd("silent")
    started = time.monotonic()
    assert Scanner(address, timeout=0.3).scan(b"hello") is ScanResult.UNAVAILABLE
    assert time.monotonic() - started < 3
    assert server.received == [b"hello"]


@pytest.mark.parametrize("behaviour", ["too long", "hang up", "nonsense"])
def test_any_answer_but_ok_or_found_is_unavailable(clamd, behaviour):
    _, address = clamd(behaviour)
    assert Scanner(address, timeout=2).scan(b"hello") is ScanResult.UNAVAILABLE


def test_clamd_on_a_unix_socket(clamd, tmp_path):
    path = tmp_path / "clamd.ctl"
    if len(str(path)) > 100:  # the limit on a unix socket's path
        pytest.skip("temporary folder path too long for a unix socket")
    server, address = clamd("scan", path)
    assert address == f"unix://{path}"
    assert Scanner(address).scan(b"a scanned letter") is ScanResult.CLEAN
    assert Scanner(address).scan(EICAR) is ScanResult.INFECTED
    assert server.received == [b"a scanned letter", EICAR]


def test_no_clamd_on_a_unix_socket_is_unavailable(tmp_path):
    assert Scanner(f"unix://{tmp_path}/missing.ctl").scan(b"hello") is ScanResult.UNAVAILABLE


@pytest.mark.parametrize("address", [
    "127.0.0.1:3310", "tcp://127.0.0.1", "tcp://127.0.0.1:http", "tcp://[::1]:3310", "http://127.0.0.1:3310",
    "unix://run/clamav/clamd.ctl", "unix:relative.ctl", "",
])
def test_an_address_of_the_wrong_shape_is_refused_when_the_scanner_is_made(address):
    with pytest.raises(ValueError):
        Scanner(address)
