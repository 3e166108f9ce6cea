"""The checks ``assist doctor`` runs on a deployment: each problem in plain words, with what to do.

Every check takes the loaded :class:`~assist.config.Config`, the :class:`~assist.storage.Store` and
the forms, and returns the problems it found (none when all is well). Nothing here changes anything
except the health row the database write check rewrites.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .cli_people import DEMO_HELPER, DEMO_MARKER

#: Answers kept longer than this after delivery count as "very long" (``retention.days_after_delivery``).
LONG_RETENTION_DAYS = 365
#: A form's own ``retention_days`` may follow a records schedule of years; beyond seven it is "very long".
LONG_FORM_RETENTION_DAYS = 7 * 365
#: The data folder's disk counts as nearly full below this much free space, or this share of it.
LOW_DISK_BYTES = 1024 ** 3
LOW_DISK_SHARE = 0.05


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the deployment: what it is, and what to do about it."""

    what: str
    todo: str

    def __str__(self) -> str:
        return f"{self.what}\n  What to do: {self.todo}"


def check_data_key(config, store, forms) -> list[Problem]:
    """The data key is kept in the data folder, beside the database it opens."""
    keys = store.data_keys
    if keys.from_environment:
        return []
    if not _inside(keys.key_file, config.data_dir):
        return []
    return [Problem(
        f"The data key is in {keys.key_file}, in the same folder as the database it unlocks: anyone with "
        "a copy of the data folder (a stolen disk, a backup) can read every answer.",
        f"Put the key in the environment variable ${keys.env_name} (from the service's secret store or an "
        "environment file only the service can read), or move the file to another disk and set "
        "security.data_key_file to it; keep a copy apart from the backups, then delete the file from the "
        "data folder (see docs/admin.md).")]


def check_folder_deliveries(config, store, forms) -> list[Problem]:
    """Submissions delivered to a folder as plain text."""
    delivery = config.delivery
    uses_folder = "folder" in delivery.destinations or any(
        "folder" in (form.destinations or ()) for form in forms.values())
    if not uses_folder or delivery.folder_key:
        return []
    where = " (inside the data folder)" if _inside(delivery.folder, config.data_dir) else ""
    return [Problem(
        f"Submissions are delivered to the folder {delivery.folder}{where} in plain text: every answer "
        "and PDF there can be read by anyone who can open the folder or the disk.",
        f"Set ${delivery.folder_key_env} to the back office's delivery key so the files are encrypted "
        "(`assist decrypt` opens them), or use another destination; at least put the folder where only "
        "the back office can read it (see docs/delivery.md).")]


def check_replication(config, store, forms) -> list[Problem]:
    """No continuous copy of the database anywhere else."""
    if config.replication.enabled:
        return []
    return [Problem(
        "Replication is not set up: the database is only on this machine, so a dead disk, a stolen PC or "
        "a wiped image loses every draft and every submission not yet delivered.",
        "Set [replication] replica in the config to a folder on another disk, an sftp:// or an s3:// "
        "address (see docs/setup.md), and try `assist restore` once.")]


def check_tls(config, store, forms) -> list[Problem]:
    """Nothing says HTTPS ends in front of ``assist serve``."""
    if config.server.trusted_proxies > 0:
        return []
    return [Problem(
        "No HTTPS proxy is set up in front of assist (server.trusted_proxies is 0): `assist serve` speaks "
        "plain HTTP, so answers and sign-in PINs cross the network unencrypted and cookies are not marked "
        "Secure.",
        "Put assist behind a reverse proxy that ends HTTPS (nginx, Caddy, IIS) on the same machine and set "
        "[server] trusted_proxies = 1 (see docs/setup.md).")]


def check_demo(config, store, forms) -> list[Problem]:
    """A demo data folder in use, or the demo helper (known PIN) able to sign in."""
    problems = []
    if (config.data_dir / DEMO_MARKER).exists():
        problems.append(Problem(
            f"This data folder was made as a demo (the file {config.data_dir / DEMO_MARKER} says so): "
            "`make run` may add the demo helper with its published PIN to it.",
            "Use a new, empty data folder for real residents (storage.data_dir), and never run "
            "`assist demo-data` on it."))
    demo = [h for h in store.list_helpers() if h["id"] == DEMO_HELPER["helper_id"]]
    if demo:
        problems.append(Problem(
            f"The demo helper {DEMO_HELPER['display_name']} can still sign in, with the PIN everyone can read "
            "in the documentation.",
            f"Deactivate it: `assist helpers deactivate {DEMO_HELPER['helper_id']}` (or from the admin pages)."))
    return problems


def check_retention(config, store, forms) -> list[Problem]:
    """Answers kept for a very long time after delivery."""
    problems = []
    days = config.retention.days_after_delivery
    if days > LONG_RETENTION_DAYS:
        problems.append(Problem(
            f"Answers are kept {days} days after delivery (retention.days_after_delivery): residents' answers "
            "stay in the database long after the back office has them.",
            f"Keep them only as long as the back office needs (the default is 90 days, at most "
            f"{LONG_RETENTION_DAYS}), and let `assist serve` or a daily `assist purge` delete them."))
    for form in forms.values():
        if form.retention_days is not None and form.retention_days > LONG_FORM_RETENTION_DAYS:
            problems.append(Problem(
                f"The form {form.id} keeps answers {form.retention_days} days after delivery (its retention_days).",
                "Check the service's records schedule and lower retention_days in that form's definition to "
                "what it requires (seven years covers most council records)."))
    return problems


def check_database_writable(config, store, forms) -> list[Problem]:
    """The database cannot be written (a real write of the health row fails)."""
    reason = store.check_writable()
    if reason is None:
        return []
    what = {
        "full": f"the disk holding {config.data_dir} is full",
        "read-only": f"the database in {config.data_dir} is read-only",
        "failing": f"the disk holding {config.data_dir} gives input/output errors",
    }.get(reason, "it cannot be opened for writing")
    return [Problem(
        f"The database cannot be written: {what}. Nothing residents send is being saved.",
        "Free space on the disk, give the user running assist write access to the data folder and its "
        "files, or move the data folder to a healthy disk; then run `assist doctor` again.")]


def check_disk_space(config, store, forms) -> list[Problem]:
    """The disk holding the data folder is nearly full."""
    usage = shutil.disk_usage(config.data_dir)
    if usage.free >= LOW_DISK_BYTES and usage.free >= usage.total * LOW_DISK_SHARE:
        return []
    return [Problem(
        f"The disk holding {config.data_dir} is nearly full: {usage.free // 1024 ** 2} MB free of "
        f"{usage.total // 1024 ** 2} MB. When it fills, residents' answers cannot be saved.",
        "Free space on it, or move the data folder to a larger disk.")]


CHECKS: tuple[Callable, ...] = (
    check_database_writable, check_disk_space, check_data_key, check_folder_deliveries, check_replication,
    check_tls, check_demo, check_retention,
)


def check_deployment(config, store, forms: Mapping) -> list[Problem]:
    """Every problem the checks above find, in order of how much they can lose."""
    return [problem for check in CHECKS for problem in check(config, store, forms)]


def _inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or somewhere under it."""
    try:
        Path(path).resolve().relative_to(Path(folder).resolve())
    except ValueError:
        return False
    return True
