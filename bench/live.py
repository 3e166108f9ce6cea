"""The real ``assist serve`` (waitress) in a subprocess, on its own temporary data dir and config.

Used by :mod:`bench.residents` and :mod:`bench.crash`: it can be killed hard (SIGKILL) and
started again on the same data dir, as a power cut and a reboot would.
"""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASSIST = Path(sys.executable).parent / "assist"


def write_config(folder: Path, replica: Path | None = None, delivery: str = "") -> Path:
    """A config for one bench run: English only, the shipped forms, delivery to a folder; with
    ``replica``, replicated to that folder every second; ``delivery``: other ``[delivery]`` settings
    instead of the folder."""
    replication = f'[replication]\nreplica = "{replica}"\nsync_seconds = 1\n' if replica else ""
    path = folder / "config.toml"
    path.write_text(textwrap.dedent(f"""
        [council]
        name = "Bench Borough Council"
        contact_email = "forms@bench.example.gov.uk"
        [languages]
        available = ["en"]
        [storage]
        data_dir = "{folder / 'data'}"
        [forms]
        directory = "{ROOT / 'forms'}"
    """) + replication + "[delivery]\npoll_seconds = 1\n"
        + (delivery or 'destinations = ["folder"]\nfolder = "deliveries"\n'))
    return path


class LiveServer:
    """``assist serve`` on 127.0.0.1:``port`` with the config in ``folder`` (see :func:`write_config`)."""

    def __init__(self, folder: Path, port: int, threads: int = 8, connection_limit: int = 100):
        self.folder = folder
        self.port = port
        self.threads = threads
        self.connection_limit = connection_limit
        self.config = write_config(folder)
        self.data_dir = folder / "data"
        self.process: subprocess.Popen | None = None
        self._log = None

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "ASSIST_CONFIG": str(self.config), "ASSIST_DATA_DIR": str(self.data_dir)}

    def start(self, timeout: float = 60) -> "LiveServer":
        """Start the server and wait until ``/healthz`` answers."""
        self._log = open(self.folder / "server.log", "ab")
        self.process = subprocess.Popen(
            [str(ASSIST), "serve", "--host", "127.0.0.1", "--port", str(self.port), "--threads", str(self.threads),
             "--connection-limit", str(self.connection_limit)],
            env=self.env, cwd=self.folder, stdout=self._log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = self.folder / "server.log"
                raise RuntimeError(f"assist serve exited with {self.process.returncode}; see {log}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                ok = conn.getresponse().status == 200
                conn.close()
                if ok:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"assist serve did not answer within {timeout} s")

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the server process has used so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def kill(self) -> None:
        """SIGKILL: no clean-up, no flush, as if the power went."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        self._close_log()

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL if it lingers)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        self._close_log()

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def deliver_once(self, timeout: float = 300) -> subprocess.CompletedProcess:
        """``assist deliver --once`` on the same data dir, as cron would run it."""
        return subprocess.run([str(ASSIST), "deliver", "--once"], env=self.env, cwd=self.folder,
                              capture_output=True, text=True, timeout=timeout)

    def __enter__(self) -> "LiveServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
