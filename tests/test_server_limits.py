"""``assist serve``'s waitress options: half-open connections and oversized bodies (tests/conftest.py's
live server uses the same options, from assist.server.server_options)."""

from __future__ import annotations

import socket
import time
from urllib.parse import urlsplit

import pytest

from assist.server import CHANNEL_TIMEOUT, server_options


def _address(live_server):
    parts = urlsplit(live_server)
    return parts.hostname, parts.port


def _get(address, path, timeout):
    with socket.create_connection(address, timeout=timeout) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return data


def test_options_limit_the_body_to_one_evidence_file_and_a_margin(config):
    options = server_options(config)
    assert options["max_request_body_size"] == (config.uploads.max_file_mb + 1) * 1024 * 1024
    assert options["channel_timeout"] == CHANNEL_TIMEOUT <= 30
    assert options["connection_limit"] > 110


def test_half_open_connections_do_not_block_healthz(live_server):
    address = _address(live_server)
    held = []
    try:
        for _ in range(110):  # each sends part of a request's headers and then nothing
            sock = socket.create_connection(address, timeout=5)
            sock.sendall(b"POST /healthz HTTP/1.1\r\nHost: local")
            held.append(sock)
        started = time.monotonic()
        answer = _get(address, "/healthz", timeout=2)
        assert time.monotonic() - started < 2
        assert answer.startswith(b"HTTP/1.1 200")
    finally:
        for sock in held:
            sock.close()


@pytest.mark.parametrize("extra", [1, 50 * 1024 * 1024])
def test_a_body_over_the_limit_is_refused_before_it_is_sent(live_server, config, extra):
    limit = (config.uploads.max_file_mb + 1) * 1024 * 1024  # one evidence file and 1 MB
    with socket.create_connection(_address(live_server), timeout=3) as sock:
        sock.sendall(f"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: {limit + extra}\r\n"
                     "Content-Type: application/octet-stream\r\n\r\n".encode())
        # nothing of the body is sent: waitress must answer from the headers alone, not wait for
        # (and spool to a temporary file) what the Content-Length announces
        answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 413")
