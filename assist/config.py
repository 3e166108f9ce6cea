"""assist's configuration: ``config.toml``, read and checked once into frozen dataclasses.

Every setting is declared once, in :data:`SETTINGS` (name, type, default, help), as
datasette does. Checking the file, the defaults, ``docs/config.md`` and the comments in
``config.toml`` all derive from that table, and ``tests/test_config.py`` checks they agree.

Mistakes are reported with the file, the setting and what was expected, all at once::

    config.toml: council.nmae: unknown setting (did you mean 'name'?)
    config.toml: sessions.kiosk_idle_minutes: expected a whole number of at least 1, got text ('5')

Environment variables:

``ASSIST_CONFIG``
    the config file to read (default ``./config.toml``, else the copy shipped with assist);
``ASSIST_DATA_DIR``
    overrides ``storage.data_dir``;
``ASSIST_SECRET_KEY``
    (or whatever ``security.secret_key_env`` names) the secret key; otherwise one is made
    once and kept in ``<data_dir>/secret_key``, readable only by its owner;
``ASSIST_DATA_KEY``
    (or whatever ``security.data_key_env`` names) the key encrypting answers in the database;
    otherwise one is made once and kept in ``<data_dir>/data_key`` (see :mod:`assist.storage.data_keys`).
"""

from __future__ import annotations

import difflib
import os
import re
import secrets
import time
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import paths

__all__ = [
    "Config", "ConfigError", "Council", "Delivery", "Forms", "Languages", "Replication", "Retention", "Security",
    "Sessions",
    "Setting", "SETTINGS", "Storage", "Uploads", "Venue", "config_from_mapping", "default_config_path", "describe_settings",
    "load_config", "VENUE_MODES",
]

CONFIG_ENV = "ASSIST_CONFIG"
DATA_DIR_ENV = "ASSIST_DATA_DIR"
SECRET_KEY_FILE = "secret_key"  # nosec B105 # the name of the file that holds the key, not a key
DATABASE_FILE = "assist.sqlite3"
MIN_SECRET_KEY_LENGTH = 16
#: Config files larger than this are refused before they are read.
MAX_CONFIG_BYTES = 1_000_000
VENUE_MODES = ("assisted", "kiosk")


class ConfigError(Exception):
    """The configuration is wrong. ``problems`` lists every mistake, one line each:
    ``<file>: <setting>: <what is wrong>``."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


# --------------------------------------------------------------------------------------------
# Types of setting: each checks a value from the TOML file and returns what Config holds.

class _Invalid(ValueError):
    """A value of the right shape but not allowed (e.g. 0 minutes)."""


_TOML_TYPE_NAMES = {str: "text", bool: "true/false", int: "a whole number", float: "a decimal number",
                    list: "a list", dict: "a table"}


def _describe(value: Any) -> str:
    kind = _TOML_TYPE_NAMES.get(type(value), type(value).__name__)
    shown = repr(value)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return f"{kind} ({shown})"


@dataclass(frozen=True)
class Kind:
    """A setting's type: ``expected`` is how docs and errors describe it."""

    expected: str
    python_type: type | tuple[type, ...]
    convert: Callable[[Any], Any] = lambda value: value

    def check(self, value: Any) -> Any:
        if isinstance(value, bool) and bool not in _as_tuple(self.python_type):
            raise TypeError
        if not isinstance(value, self.python_type):
            raise TypeError
        return self.convert(value)


def _as_tuple(types):
    return types if isinstance(types, tuple) else (types,)


def _text(value: str) -> str:
    return value.strip()


def _required_text(value: str) -> str:
    if not value.strip():
        raise _Invalid("must not be empty")
    return value.strip()


def _not_negative(value: int) -> int:
    if value < 0:
        raise _Invalid(f"must be 0 or more, not {value}")
    return value


def _positive(value: int) -> int:
    if value < 1:
        raise _Invalid(f"must be at least 1, not {value}")
    return value


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _email(value: str) -> str:
    value = value.strip()
    if value and not _EMAIL.match(value):
        raise _Invalid(f"{value!r} is not an email address, like name@example.gov.uk")
    return value


def _url(value: str) -> str:
    value = value.strip()
    if value and not re.match(r"^https?://[^\s/]+\.[^\s]+$", value):
        raise _Invalid(f"{value!r} is not a web address starting https://")
    return value


def _timezone(value: str) -> str:
    name = value.strip()
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise _Invalid(f"{value!r} is not a time zone name like \"Europe/London\"") from None
    return name


def _relative_luminance(colour: str) -> float:
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(int(colour[i:i + 2], 16) / 255) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_with_white(colour: str) -> float:
    """WCAG contrast ratio of white text on ``colour`` (``#rrggbb``)."""
    return 1.05 / (_relative_luminance(colour) + 0.05)


def _colour(value: str) -> str:
    colour = value.strip().lower()
    if not re.fullmatch(r"#[0-9a-f]{6}", colour):
        raise _Invalid(f"{value!r} is not a colour written like \"#1d70b8\" (# and six hex digits)")
    ratio = contrast_with_white(colour)
    if ratio < 4.5:
        raise _Invalid(f"white text on {colour} has a contrast ratio of {ratio:.1f}:1; "
                       "choose a darker colour (at least 4.5:1)")
    return colour


_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Z]{2}|-[A-Z][a-z]{3})?$")


def _language(value: str) -> str:
    code = value.strip()
    if not _LANGUAGE.match(code):
        raise _Invalid(f"{value!r} is not a language code like \"en\", \"cy\" or \"pt-BR\"")
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        raise _Invalid(f"{code!r} is not a language Babel knows") from None
    return code


def _languages(value: list) -> tuple[str, ...]:
    if not value:
        raise _Invalid("list at least one language")
    codes = []
    for item in value:
        if not isinstance(item, str):
            raise _Invalid(f"expected language codes, got {_describe(item)}")
        code = _language(item)
        if code in codes:
            raise _Invalid(f"{code!r} is listed twice")
        codes.append(code)
    return tuple(codes)


def _language_list(value: list) -> tuple[str, ...]:
    return _languages(value) if value else ()


_KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _kebab(value: str) -> str:
    if not _KEBAB.match(value):
        raise _Invalid(f"{value!r} must be lowercase letters, digits and single hyphens, like \"central-library\"")
    return value


def _env_name(value: str) -> str:
    if not re.fullmatch(r"[A-Z_][A-Z0-9_]*", value):
        raise _Invalid(f"{value!r} is not an environment variable name like \"ASSIST_SECRET_KEY\"")
    return value


def _path(value: str) -> str:
    if not value.strip():
        raise _Invalid("must not be empty")
    return value.strip()


def _choice(*choices: str) -> Kind:
    def convert(value: str) -> str:
        if value not in choices:
            suggestion = _did_you_mean(value, choices)
            raise _Invalid(f"{value!r} is not one of {', '.join(choices)}{suggestion}")
        return value

    return Kind(f"one of {', '.join(repr(c) for c in choices)}", str, convert)


TEXT = Kind("text", str, _text)
REQUIRED_TEXT = Kind("text (not empty)", str, _required_text)
EMAIL = Kind("an email address (text)", str, _email)
URL = Kind("a web address (text)", str, _url)
COLOUR = Kind('a colour like "#1d70b8"', str, _colour)
TIMEZONE = Kind('a time zone name like "Europe/London"', str, _timezone)
POSITIVE = Kind("a whole number of at least 1", int, _positive)
NOT_NEGATIVE = Kind("a whole number, 0 or more", int, _not_negative)
LANGUAGE = Kind('a language code like "en"', str, _language)
LANGUAGES = Kind('a list of language codes like ["en", "cy"]', list, _languages)
LANGUAGE_LIST = Kind('a list of language codes like ["cy"], possibly empty', list, _language_list)
PATH = Kind("a folder (text)", str, _path)
ENV_NAME = Kind("an environment variable name (text)", str, _env_name)
KEBAB = Kind('an id like "central-library" (text)', str, _kebab)
MODE = _choice(*VENUE_MODES)


# Delivery (docs/delivery.md) ---------------------------------------------------------------
DESTINATION_KINDS = ("email", "webhook", "folder")
LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")


def _destinations(value: list) -> tuple[str, ...]:
    chosen = []
    for item in value:
        if item not in DESTINATION_KINDS:
            suggestion = _did_you_mean(str(item), DESTINATION_KINDS)
            raise _Invalid(f"{item!r} is not one of {', '.join(DESTINATION_KINDS)}{suggestion}")
        if item in chosen:
            raise _Invalid(f"{item!r} is listed twice")
        chosen.append(item)
    return tuple(chosen)


def _emails(value: list) -> tuple[str, ...]:
    addresses = []
    for item in value:
        if not isinstance(item, str) or not _EMAIL.match(item.strip()):
            raise _Invalid(f"{item!r} is not an email address, like name@example.gov.uk")
        addresses.append(item.strip())
    return tuple(addresses)


def webhook_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a webhook address: HTTPS, or plain HTTP to this machine only."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return None
    if parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS:
        return None
    return f"{url!r} must start https:// (plain http:// is allowed only to 127.0.0.1 or localhost, for testing)"


def _webhook_url(value: str) -> str:
    value = value.strip()
    if value:
        problem = webhook_url_problem(value)
        if problem:
            raise _Invalid(problem)
    return value


def _port(value: int) -> int:
    if not 1 <= value <= 65535:
        raise _Invalid(f"must be a port number from 1 to 65535, not {value}")
    return value


BOOL = Kind("true or false", bool)
PORT = Kind("a port number (1 to 65535)", int, _port)
DESTINATIONS = Kind('a list of destinations, each "email", "webhook" or "folder"', list, _destinations)
EMAILS = Kind('a list of email addresses like ["benefits@example.gov.uk"]', list, _emails)
WEBHOOK_URL = Kind("a web address starting https:// (text)", str, _webhook_url)
OPTIONAL_ENV_NAME = Kind("an environment variable name (text)", str,
                         lambda value: _env_name(value) if value.strip() else "")


def _scanner_address(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    if value.startswith("unix:///") and len(value) > len("unix:///"):
        return value
    host, _, port = value.removeprefix("tcp://").rpartition(":")
    if (value.startswith("tcp://") and host and ":" not in host and "[" not in host and port.isdigit()
            and 1 <= int(port) <= 65535):
        return value
    raise _Invalid(f'must be like "tcp://127.0.0.1:3310" or "unix:///run/clamav/clamd.ctl", not {value!r}')


# Replication (docs/setup.md) ---------------------------------------------------------------
REPLICA_SCHEMES = ("file", "sftp", "s3")


def _replica(value: str) -> str:
    from urllib.parse import urlsplit

    value = value.strip()
    if not value or "://" not in value:
        return value  # off, or a folder
    parts = urlsplit(value)
    if parts.scheme not in REPLICA_SCHEMES:
        raise _Invalid(f"{value!r} must be a folder, or start file://, sftp:// or s3://")
    if parts.scheme in ("sftp", "s3") and not parts.hostname:
        what = "a bucket, like s3://council-backups/assist" if parts.scheme == "s3" else \
            "a server, like sftp://backup@files.example.gov.uk/assist"
        raise _Invalid(f"{value!r} needs {what}")
    if parts.password:
        raise _Invalid("no passwords in the replica address: use replication.sftp_key_file, or the "
                       "environment variables named by replication.access_key_id_env and secret_access_key_env")
    return value


def _http_url(value: str) -> str:
    value = value.strip()
    if value and not re.match(r"^https?://[^\s/]+", value):
        raise _Invalid(f"{value!r} is not a web address starting https://")
    return value


REPLICA = Kind('a folder, or an address starting file://, sftp:// or s3:// (text)', str, _replica)
ENDPOINT = Kind("a web address starting https:// (text)", str, _http_url)


SCANNER_ADDRESS = Kind('clamd\'s address, like "tcp://127.0.0.1:3310" (IPv4 or a host name) or '
                       '"unix:///run/clamav/clamd.ctl" (text)', str, _scanner_address)


# --------------------------------------------------------------------------------------------
# The settings table

class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()


@dataclass(frozen=True)
class Setting:
    """One setting: ``name`` is ``section.key`` (``venues.key`` for each ``[[venues]]`` table)."""

    name: str
    kind: Kind
    default: Any
    help: str

    @property
    def section(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def key(self) -> str:
        return self.name.split(".", 1)[1]

    @property
    def default_toml(self) -> str:
        """The default as written in TOML (or ``required`` / ``none``), for docs and tests."""
        return _toml(self.default)


def _toml(value: Any) -> str:
    if value is REQUIRED:
        return "required"
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    return str(value)


SETTINGS: tuple[Setting, ...] = (
    # [council]
    Setting("council.name", REQUIRED_TEXT, "Your council",
            "The council's name as residents know it: in the header, page titles, footer and printouts."),
    Setting("council.short_name", TEXT, "",
            "A shorter name for tight spaces such as the kiosk header and paper form footers; "
            "empty means use the full name."),
    Setting("council.contact_email", EMAIL, "",
            "The email address residents can write to about a form; shown on confirmation pages and printouts."),
    Setting("council.contact_phone", TEXT, "",
            "The telephone number residents can call, written as residents should dial it."),
    Setting("council.contact_address", TEXT, "",
            "The postal address for paper forms, one line per line (a TOML multi-line string)."),
    Setting("council.website", URL, "",
            "The council's website, starting https://."),
    Setting("council.forms_url", URL, "",
            "The web address residents use to reach these forms from home, starting https:// (such as "
            "https://forms.example.gov.uk). The \"saved\" page and the carry-on slip print its carry-on page "
            "(`/carry-on/`) and put it in the slip's QR code. Empty means the address the page was opened at, "
            "which may work only inside the library's network."),
    Setting("council.brand_colour", COLOUR, "#1d70b8",
            "The council's colour for the header (white text on it needs a 4.5:1 contrast ratio). "
            "Read when the stylesheet is built: run `make assets` after changing it."),
    Setting("council.timezone", TIMEZONE, "Europe/London",
            "The time zone the admin pages show dates and times in (an IANA name such as \"Europe/London\"). "
            "Times are stored in UTC; CSV exports keep them in UTC."),
    # [languages]
    Setting("languages.available", LANGUAGES, ["en"],
            "The languages residents can choose, in the order the language switcher lists them. "
            "Each needs a translation catalogue in translations/ (English needs none)."),
    Setting("languages.default", LANGUAGE, "en",
            "The language of a new visit before the resident chooses; must be one of `languages.available`."),
    Setting("languages.complete", LANGUAGE_LIST, [],
            "Languages whose translation is complete: every interface message and the text of every form "
            "(English, the source, always is). The tests fail when a language listed here misses a message, "
            "so list a language only once its catalogue is finished (see docs/translating.md)."),
    # [storage]
    Setting("storage.data_dir", PATH, "data",
            "The folder for the database, the secret key and cached printouts. A relative path is relative "
            "to the config file's folder. `ASSIST_DATA_DIR` overrides it."),
    # [sessions]
    Setting("sessions.online_idle_minutes", POSITIVE, 30,
            "Minutes without activity before a resident's own (online) visit is forgotten."),
    Setting("sessions.kiosk_idle_minutes", POSITIVE, 3,
            "Minutes without a tap before a kiosk warns, then wipes the visit and returns to the start."),
    Setting("sessions.kiosk_warning_seconds", POSITIVE, 30,
            "How long the kiosk's \"Do you need more time?\" warning shows before it wipes the visit."),
    Setting("sessions.assisted_idle_minutes", POSITIVE, 15,
            "Minutes without activity before a helper's tablet warns and then signs the helper out."),
    Setting("sessions.assisted_warning_seconds", POSITIVE, 60,
            "How long the helper's tablet shows its timeout warning before clearing the tablet."),
    Setting("sessions.draft_expiry_days", POSITIVE, 28,
            "Days a saved, unfinished form (save and carry on later) is kept before its answers are deleted."),
    Setting("sessions.resume_attempts", POSITIVE, 5,
            "Wrong answers to a saved form's second check (such as the date of birth) before its code stops "
            "working and the saved answers are deleted. Counted per code, wherever it is tried."),
    # [retention]
    Setting("retention.days_after_delivery", POSITIVE, 90,
            "Days a submission's answers are kept after the back office has received it; statistics are kept. "
            "A form's own `retention_days` takes precedence."),
    # [security]
    Setting("security.secret_key_env", ENV_NAME, "ASSIST_SECRET_KEY",
            "The environment variable that holds the secret key for signing cookies. When it is not set, "
            "a key is made once and kept in `<data_dir>/secret_key`, readable only by its owner."),
    Setting("security.data_key_env", ENV_NAME, "ASSIST_DATA_KEY",
            "The environment variable that holds the key encrypting residents' answers in the database "
            "(32 bytes in base64). When it is not set, a key is made once and kept in `<data_dir>/data_key`, "
            "readable only by its owner. Never in the database: back it up separately (see docs/admin.md)."),
    Setting("security.data_key_file", TEXT, "",
            "Where the data key file is kept when `data_key_env` is not set: a path, relative to this file's "
            "folder. Put it on another disk or a removable key than the database, so a copy of the data "
            "folder alone shows no answers. \"\" = `<data_dir>/data_key`."),
    Setting("security.pin_attempts", POSITIVE, 5,
            "Wrong PINs in a row, for one name at one venue, before each further try must wait. "
            "Every attempt is in the audit log."),
    Setting("security.pin_delay_minutes", POSITIVE, 1,
            "The wait before the next try after `pin_attempts` wrong PINs in a row; it doubles after each "
            "further wrong PIN. A venue lead or council admin can end a helper's wait at once."),
    Setting("security.pin_delay_max_minutes", POSITIVE, 60,
            "The longest wait between two tries of a PIN; at least `pin_delay_minutes`."),
    # [forms]
    Setting("forms.directory", PATH, None,
            "The folder of form definitions (*.toml). Relative to the config file's folder; "
            "by default the forms shipped with assist (forms/ in a checkout)."),
    # [delivery]
    Setting("delivery.destinations", DESTINATIONS, ["folder"],
            "Where every submission goes unless its form says otherwise (a form's `destinations`): any of "
            "\"email\", \"webhook\" and \"folder\". Each is delivered through the outbox: retried until it "
            "arrives, never twice. An empty list keeps submissions in the database only."),
    Setting("delivery.email_to", EMAILS, [],
            "The back office's email address(es) for the \"email\" destination."),
    Setting("delivery.email_from", EMAIL, "",
            "The sender address of delivery emails; empty means `council.contact_email`."),
    Setting("delivery.smtp_host", TEXT, "localhost",
            "The mail server (SMTP) that sends delivery emails."),
    Setting("delivery.smtp_port", PORT, 587,
            "The mail server's port: 587 for submission with STARTTLS, 25 for a local relay."),
    Setting("delivery.smtp_starttls", BOOL, True,
            "Switch the connection to TLS (STARTTLS) before sending, checking the server's certificate. "
            "Turn off only for a relay on the same machine."),
    Setting("delivery.smtp_ca_file", TEXT, "",
            "A CA certificate file (PEM) to trust for the mail server, for a council's own certificate "
            "authority; empty means the system's trusted certificates."),
    Setting("delivery.smtp_username", TEXT, "",
            "The user name to log in to the mail server with; empty means no login."),
    Setting("delivery.smtp_password_env", OPTIONAL_ENV_NAME, "ASSIST_SMTP_PASSWORD",
            "The environment variable that holds the mail server password (never in this file)."),
    Setting("delivery.webhook_url", WEBHOOK_URL, "",
            "The back office's address for the \"webhook\" destination, starting https:// "
            "(http:// only to 127.0.0.1, for tests). Each submission is POSTed as JSON with an "
            "`Idempotency-Key` header and an HMAC-SHA256 signature."),
    Setting("delivery.webhook_secret_env", OPTIONAL_ENV_NAME, "ASSIST_WEBHOOK_SECRET",
            "The environment variable that holds the secret shared with the back office for the webhook "
            "signature (at least 16 characters)."),
    Setting("delivery.folder", PATH, "deliveries",
            "The folder for the \"folder\" destination (for example a mounted council share): one JSON and "
            "one PDF file per submission, written whole or not at all. Relative to `storage.data_dir`."),
    Setting("delivery.folder_key_env", OPTIONAL_ENV_NAME, "ASSIST_DELIVERY_KEY",
            "The environment variable that holds the back office's delivery key (32 bytes in base64). When it "
            "is set, every file the \"folder\" destination writes is encrypted with it (`<name>.enc`; "
            "`assist decrypt` opens them). When it is not set, folder deliveries are plain text: put the "
            "folder where only the back office can read it."),
    Setting("delivery.max_attempts", POSITIVE, 12,
            "Attempts per submission and destination before it is marked failed and shown to council "
            "admins (who can try it again)."),
    Setting("delivery.backoff_base_seconds", POSITIVE, 30,
            "The wait after the first failed attempt; it doubles after each failure (with random jitter)."),
    Setting("delivery.backoff_cap_seconds", POSITIVE, 3600,
            "The longest wait between two attempts."),
    Setting("delivery.timeout_seconds", POSITIVE, 30,
            "How long one attempt may take (connecting, sending, waiting for the answer)."),
    Setting("delivery.poll_seconds", POSITIVE, 5,
            "How often `assist serve` and `assist deliver` look for submissions to deliver."),
    Setting("uploads.max_file_mb", POSITIVE, 10,
            "Largest file a resident may upload as evidence, in megabytes (a phone photo is 2 to 6 MB)."),
    Setting("uploads.max_journey_mb", POSITIVE, 40,
            "Most a resident may upload to one form, in megabytes, counting what is kept after photos are shrunk."),
    Setting("uploads.photo_max_pixels", POSITIVE, 2000,
            "Photos are shrunk so their longest side is at most this many pixels (2000 keeps a letter readable)."),
    Setting("uploads.scanner", SCANNER_ADDRESS, "",
            "Where the council's ClamAV daemon (clamd) listens, to check every upload for viruses before it is "
            "kept; empty: no scanning. While it does not answer, uploads are refused."),
    Setting("server.trusted_proxies", NOT_NEGATIVE, 0,
            "How many proxies (such as the one that ends HTTPS) stand in front of `assist serve`; 0 means "
            "none, and X-Forwarded-* headers are ignored."),
    # [replication]
    Setting("replication.replica", REPLICA, "",
            "Where `assist serve` copies the database continuously (with Litestream), so a dead disk or a "
            "stolen PC loses at most the last few seconds: a folder on another disk or a mounted share "
            "(relative to the config file's folder), an `sftp://user@host/path` address or an "
            "`s3://bucket/path` address on S3-compatible storage. Empty: no replication. "
            "The data key is never copied with it. `assist restore` brings the database back."),
    Setting("replication.sync_seconds", POSITIVE, 1,
            "How often new writes are sent to the replica, in seconds: the most a lost disk can lose."),
    Setting("replication.retention_days", POSITIVE, 7,
            "Days of history the replica keeps: `assist restore --timestamp` can go back this far. "
            "A full snapshot is taken once a day (or once per retention period, if shorter)."),
    Setting("replication.endpoint", ENDPOINT, "",
            "For an `s3://` replica on storage other than Amazon S3: its address, such as "
            "\"https://s3.eu-west-2.amazonaws.com\" or the council's own object store. Empty: Amazon S3."),
    Setting("replication.region", TEXT, "",
            "For an `s3://` replica: the storage's region, such as \"eu-west-2\"; empty lets Litestream find it."),
    Setting("replication.access_key_id_env", OPTIONAL_ENV_NAME, "ASSIST_REPLICA_ACCESS_KEY_ID",
            "The environment variable that holds the access key id for an `s3://` replica (never in this "
            "file). Empty: the usual AWS variables or the machine's role."),
    Setting("replication.secret_access_key_env", OPTIONAL_ENV_NAME, "ASSIST_REPLICA_SECRET_ACCESS_KEY",
            "The environment variable that holds the secret access key for an `s3://` replica (never in "
            "this file)."),
    Setting("replication.sftp_key_file", TEXT, "",
            "For an `sftp://` replica: the private key file to log in with (readable only by the user "
            "that runs assist)."),
    Setting("replication.sftp_host_key", TEXT, "",
            "For an `sftp://` replica: the server's public host key, as in a known_hosts line "
            "(\"ssh-ed25519 AAAA...\"), so nobody can pose as the server. Empty: any host key is accepted."),
    # [[venues]]
    Setting("venues.id", KEBAB, REQUIRED,
            "A short id for the venue, used in addresses and statistics: lowercase letters, digits and hyphens, "
            "unique among venues."),
    Setting("venues.name", REQUIRED_TEXT, REQUIRED,
            "The venue's name as residents and helpers know it."),
    Setting("venues.address", TEXT, "",
            "The venue's address (optional), for print lists and reports."),
    Setting("venues.mode", MODE, "assisted",
            "How the venue helps residents: \"assisted\" (helpers with tablets) or \"kiosk\" (self-service)."),
    Setting("venues.languages", LANGUAGE_LIST, [],
            "The languages whose blank paper forms the venue's tablets keep for when the connection drops "
            "(docs/delivery.md); empty means every language in `languages.available`."),
)

SETTINGS_BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}
#: Sections made of ``[[name]]`` tables (a list), not one ``[name]`` table.
LIST_SECTIONS = ("venues",)
SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(s.section for s in SETTINGS))


# --------------------------------------------------------------------------------------------
# The typed configuration

@dataclass(frozen=True)
class Council:
    name: str
    short_name: str
    contact_email: str
    contact_phone: str
    contact_address: str
    website: str
    forms_url: str
    brand_colour: str
    timezone: str = "Europe/London"

    @property
    def address_lines(self) -> list[str]:
        """``contact_address`` split into its non-empty lines."""
        return [line.strip().rstrip(",") for line in self.contact_address.splitlines() if line.strip()]

    @property
    def display_short_name(self) -> str:
        return self.short_name or self.name


@dataclass(frozen=True)
class Languages:
    available: tuple[str, ...]
    default: str
    complete: tuple[str, ...] = ()


@dataclass(frozen=True)
class Storage:
    data_dir: Path


@dataclass(frozen=True)
class Sessions:
    online_idle_minutes: int
    kiosk_idle_minutes: int
    kiosk_warning_seconds: int
    assisted_idle_minutes: int
    assisted_warning_seconds: int
    draft_expiry_days: int
    resume_attempts: int = 5


@dataclass(frozen=True)
class Retention:
    days_after_delivery: int


@dataclass(frozen=True)
class Security:
    secret_key_env: str
    data_key_env: str = "ASSIST_DATA_KEY"
    data_key_file: str = ""
    pin_attempts: int = 5
    pin_delay_minutes: int = 1
    pin_delay_max_minutes: int = 60


@dataclass(frozen=True)
class Forms:
    directory: Path


@dataclass(frozen=True)
class Delivery:
    """``[delivery]``: where submissions go and how hard to try (see docs/delivery.md)."""

    destinations: tuple[str, ...] = ("folder",)
    email_to: tuple[str, ...] = ()
    email_from: str = ""
    smtp_host: str = "localhost"
    smtp_port: int = 587
    smtp_starttls: bool = True
    smtp_ca_file: str = ""
    smtp_username: str = ""
    smtp_password_env: str = "ASSIST_SMTP_PASSWORD"
    webhook_url: str = ""
    webhook_secret_env: str = "ASSIST_WEBHOOK_SECRET"
    folder: Path = Path("data/deliveries")
    folder_key_env: str = "ASSIST_DELIVERY_KEY"
    max_attempts: int = 12
    backoff_base_seconds: int = 30
    backoff_cap_seconds: int = 3600
    timeout_seconds: int = 30
    poll_seconds: int = 5
    #: Read from the environment variables named above when the config is loaded.
    smtp_password: str = field(default="", repr=False, compare=False)
    webhook_secret: str = field(default="", repr=False, compare=False)
    folder_key: str = field(default="", repr=False, compare=False)

    def problems(self, destinations) -> list[str]:
        """What is missing for ``destinations`` to be delivered (setting: why), e.g. no webhook_url."""
        found = []
        if "email" in destinations:
            if not self.email_to:
                found.append("delivery.email_to: list the back office's address to use the \"email\" destination")
            if not self.smtp_host:
                found.append("delivery.smtp_host: needed for the \"email\" destination")
            if self.smtp_username and not self.smtp_password:
                found.append(f"${self.smtp_password_env}: the mail server password is not set "
                             "(delivery.smtp_username is)")
        if "folder" in destinations and self.folder_key:
            from .storage.crypto import DataKeyError, decode_key

            try:
                decode_key(self.folder_key, f"${self.folder_key_env}")
            except DataKeyError as error:
                found.append(f"{error} (the delivery key for the \"folder\" destination)")
        if "webhook" in destinations:
            if not self.webhook_url:
                found.append("delivery.webhook_url: needed for the \"webhook\" destination")
            if len(self.webhook_secret) < 16:
                found.append(f"${self.webhook_secret_env or 'ASSIST_WEBHOOK_SECRET'}: the webhook secret must be set, "
                             "at least 16 characters, for the \"webhook\" destination")
        return found


@dataclass(frozen=True)
class Uploads:
    """``[uploads]``: limits on evidence files and the optional virus scanner (see docs/evidence.md)."""

    max_file_mb: int = 10
    max_journey_mb: int = 40
    photo_max_pixels: int = 2000
    scanner: str = ""


@dataclass(frozen=True)
class Server:
    """``[server]``: how requests reach ``assist serve`` (see docs/security.md)."""

    trusted_proxies: int = 0


@dataclass(frozen=True)
class Replication:
    """``[replication]``: the continuous copy of the database (see docs/setup.md, :mod:`assist.replication`)."""

    replica: str = ""
    sync_seconds: int = 1
    retention_days: int = 7
    endpoint: str = ""
    region: str = ""
    access_key_id_env: str = "ASSIST_REPLICA_ACCESS_KEY_ID"
    secret_access_key_env: str = "ASSIST_REPLICA_SECRET_ACCESS_KEY"
    sftp_key_file: str = ""
    sftp_host_key: str = ""
    #: Read from the environment variables named above when the config is loaded.
    access_key_id: str = field(default="", repr=False, compare=False)
    secret_access_key: str = field(default="", repr=False, compare=False)

    @property
    def enabled(self) -> bool:
        return bool(self.replica)

    @property
    def kind(self) -> str:
        """``"folder"``, ``"sftp"`` or ``"s3"`` (``""`` when off)."""
        if not self.replica:
            return ""
        scheme = self.replica.split("://", 1)[0] if "://" in self.replica else "file"
        return "folder" if scheme == "file" else scheme


@dataclass(frozen=True)
class Venue:
    id: str
    name: str
    address: str
    mode: str
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Config:
    """The whole configuration. Build it with :func:`load_config` (or :func:`config_from_mapping`)."""

    council: Council
    languages: Languages
    storage: Storage
    sessions: Sessions
    retention: Retention
    security: Security
    forms: Forms
    venues: tuple[Venue, ...] = ()
    delivery: Delivery = field(default_factory=Delivery)
    uploads: Uploads = field(default_factory=Uploads)
    server: Server = field(default_factory=Server)
    replication: Replication = field(default_factory=Replication)
    #: The file this came from (None when built from a mapping).
    source: Path | None = None
    _secret_from_env: str | None = field(default=None, repr=False, compare=False)
    #: The data key(s) from ``$<security.data_key_env>``, as text, when set (see assist.storage.data_keys).
    data_key_from_env: str | None = field(default=None, repr=False, compare=False)

    @property
    def data_dir(self) -> Path:
        """Where the database, secret key and caches live (absolute)."""
        return self.storage.data_dir

    @property
    def database_path(self) -> Path:
        return self.storage.data_dir / DATABASE_FILE

    @property
    def forms_dir(self) -> Path:
        return self.forms.directory

    @property
    def data_key_path(self) -> Path:
        """The data key file (used when the key is not in the environment): ``security.data_key_file``,
        else ``<data_dir>/data_key``."""
        if self.security.data_key_file:
            return Path(self.security.data_key_file)
        from .storage import DATA_KEY_FILE

        return self.data_dir / DATA_KEY_FILE

    def venue(self, venue_id: str) -> Venue | None:
        return next((v for v in self.venues if v.id == venue_id), None)

    def secret_key(self) -> str:
        """The key that signs cookies: from ``$<security.secret_key_env>``, else from
        ``<data_dir>/secret_key``, made once (0600, folder 0700) and the same on every load."""
        if self._secret_from_env:
            return self._secret_from_env
        path = self.data_dir / SECRET_KEY_FILE
        key = _read_secret(path)
        if key:
            return key
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            # Another process made it first: use theirs (wait briefly for it to be written).
            for _ in range(50):
                existing = _read_secret(path)
                if existing:
                    return existing
                time.sleep(0.02)
            raise ConfigError(f"{path}: the secret key file is empty; delete it to make a new one") from None
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(key + "\n")
        return key


def _read_secret(path: Path) -> str | None:
    try:
        return path.read_text(encoding="ascii").strip() or None
    except FileNotFoundError:
        return None


# --------------------------------------------------------------------------------------------
# Loading

def _did_you_mean(word: str, candidates) -> str:
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean {matches[0]!r}?)" if matches else ""


def _display(path: Path) -> str:
    """A path as short as it can be while still naming the file unambiguously."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def default_config_path(environ: Mapping[str, str] | None = None) -> Path:
    """``$ASSIST_CONFIG``, else ``./config.toml``, else the copy shipped with assist."""
    environ = os.environ if environ is None else environ
    if environ.get(CONFIG_ENV):
        return Path(environ[CONFIG_ENV])
    here = Path("config.toml")
    if here.is_file():
        return here
    return paths.default_config_file()


def load_config(path: str | os.PathLike | None = None, environ: Mapping[str, str] | None = None) -> Config:
    """Read and check the config file; raise :class:`ConfigError` listing every problem.

    ``path`` defaults to :func:`default_config_path`. ``environ`` defaults to ``os.environ``.
    """
    environ = os.environ if environ is None else environ
    path = Path(path) if path is not None else default_config_path(environ)
    name = _display(path)
    try:
        if path.is_file() and path.stat().st_size > MAX_CONFIG_BYTES:
            raise ConfigError(f"{name}: the file is too large (more than 1 MB); a config file should be much smaller")
        with open(path, "rb") as file:
            data = tomllib.load(file)
    except RecursionError:
        raise ConfigError(f"{name}: not valid TOML: lists or tables are nested too deeply") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{name}: the file is not saved as UTF-8 text") from None
    except FileNotFoundError:
        hint = f" (set by {CONFIG_ENV})" if environ.get(CONFIG_ENV) and Path(environ[CONFIG_ENV]) == path else ""
        raise ConfigError(f"{name}: config file not found{hint}") from None
    except IsADirectoryError:
        raise ConfigError(f"{name}: is a folder, not a config file") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{name}: not valid TOML: {error}") from None
    return config_from_mapping(data, file=name, base_dir=path.resolve().parent, environ=environ,
                               source=path.resolve())


def config_from_mapping(data: Mapping[str, Any], *, file: str = "config", base_dir: Path | None = None,
                        environ: Mapping[str, str] | None = None, source: Path | None = None) -> Config:
    """Check ``data`` (as parsed from TOML) and build a :class:`Config`; relative paths are
    resolved against ``base_dir`` (default: the current folder)."""
    environ = os.environ if environ is None else environ
    base_dir = Path.cwd() if base_dir is None else Path(base_dir)
    problems: list[str] = []
    values: dict[str, Any] = {}
    venues: list[dict[str, Any]] = []

    for section, table in data.items():
        if section not in SECTIONS:
            suggestion = _did_you_mean(section, SECTIONS)
            settings = [s.name for s in SETTINGS if s.key == section]
            if settings and not isinstance(table, dict):
                problems.append(f"{file}: {section}: unknown setting (did you mean {settings[0]!r}? "
                                f"put it under [{settings[0].split('.')[0]}])")
            else:
                problems.append(f"{file}: {section}: unknown section{suggestion}")
            continue
        if section in LIST_SECTIONS:
            if not isinstance(table, list) or not all(isinstance(item, dict) for item in table):
                problems.append(f"{file}: {section}: expected [[{section}]] tables, got {_describe(table)}")
                continue
            for index, item in enumerate(table):
                venues.append(_check_table(section, f"{section}[{index}]", item, file, problems))
            continue
        if not isinstance(table, dict):
            problems.append(f"{file}: {section}: expected a [{section}] table, got {_describe(table)}")
            continue
        values.update(_check_table(section, section, table, file, problems))

    for setting in SETTINGS:
        if setting.section not in LIST_SECTIONS:
            values.setdefault(setting.name, _default(setting))

    # Checks across settings.
    available = values["languages.available"]
    default = values["languages.default"]
    if isinstance(available, tuple) and isinstance(default, str) and default not in available:
        problems.append(f"{file}: languages.default: {default!r} is not one of languages.available "
                        f"({', '.join(available)})")
    for kind in ("kiosk", "assisted"):
        minutes, seconds = values[f"sessions.{kind}_idle_minutes"], values[f"sessions.{kind}_warning_seconds"]
        if isinstance(minutes, int) and isinstance(seconds, int) and seconds >= minutes * 60:
            problems.append(f"{file}: sessions.{kind}_warning_seconds: the warning ({seconds} seconds) must be "
                            f"shorter than sessions.{kind}_idle_minutes ({minutes} minutes)")
    delay, longest = values["security.pin_delay_minutes"], values["security.pin_delay_max_minutes"]
    if isinstance(delay, int) and isinstance(longest, int) and longest < delay:
        problems.append(f"{file}: security.pin_delay_max_minutes: the longest wait ({longest} minutes) must be "
                        f"at least security.pin_delay_minutes ({delay} minutes)")
    seen: dict[str, int] = {}
    for index, venue in enumerate(venues):
        venue_id = venue.get("venues.id")
        if isinstance(venue_id, str):
            if venue_id in seen:
                problems.append(f"{file}: venues[{index}].id: {venue_id!r} is already the id of venues[{seen[venue_id]}]")
            seen.setdefault(venue_id, index)

    # Environment overrides.
    data_dir_value = environ.get(DATA_DIR_ENV) or None
    if data_dir_value:
        data_dir = Path(data_dir_value).expanduser().resolve()
    else:
        data_dir = (base_dir / Path(values["storage.data_dir"]).expanduser()).resolve()
    secret = None
    secret_env = values["security.secret_key_env"]
    if isinstance(secret_env, str) and environ.get(secret_env):
        secret = environ[secret_env].strip()
        if len(secret) < MIN_SECRET_KEY_LENGTH:
            problems.append(f"${secret_env}: the secret key must be at least {MIN_SECRET_KEY_LENGTH} characters "
                            "(make one with: python3 -c 'import secrets; print(secrets.token_hex(32))')")

    if problems:
        raise ConfigError(problems)

    delivery_values = _section(values, "delivery")
    delivery_values["folder"] = data_dir / Path(delivery_values["folder"]).expanduser()
    for env_setting, secret_field in (("smtp_password_env", "smtp_password"),
                                      ("webhook_secret_env", "webhook_secret"), ("folder_key_env", "folder_key")):
        name = delivery_values[env_setting]
        delivery_values[secret_field] = (environ.get(name) or "").strip() if name else ""
    delivery = Delivery(**delivery_values)
    for problem in delivery.problems(delivery.destinations):
        problems.append(f"{file}: {problem}" if problem.startswith("delivery.") else problem)
    if problems:
        raise ConfigError(problems)

    replication = _replication(_section(values, "replication"), base_dir, data_dir, environ, file, problems)
    if problems:
        raise ConfigError(problems)

    if values["security.data_key_file"]:
        values["security.data_key_file"] = str((base_dir / Path(values["security.data_key_file"]).expanduser())
                                               .resolve())
    forms_value = values["forms.directory"]
    forms_dir = (base_dir / forms_value).resolve() if forms_value else paths.forms_dir()
    return Config(
        council=Council(**_section(values, "council")),
        languages=Languages(**_section(values, "languages")),
        storage=Storage(data_dir=data_dir),
        sessions=Sessions(**_section(values, "sessions")),
        retention=Retention(**_section(values, "retention")),
        security=Security(**_section(values, "security")),
        forms=Forms(directory=forms_dir),
        delivery=delivery,
        uploads=Uploads(**_section(values, "uploads")),
        server=Server(**_section(values, "server")),
        replication=replication,
        venues=tuple(Venue(**{name.split(".", 1)[1]: value for name, value in venue.items()}) for venue in venues),
        source=source,
        _secret_from_env=secret,
        data_key_from_env=(environ.get(values["security.data_key_env"]) or "").strip() or None,
    )


def _replication(settings: dict[str, Any], base_dir: Path, data_dir: Path, environ: Mapping[str, str], file: str,
                 problems: list[str]) -> Replication:
    """The ``[replication]`` section: a folder made absolute, the storage's keys read from the environment."""
    replica = settings["replica"]
    if replica and "://" not in replica:
        folder = (base_dir / Path(replica).expanduser()).resolve()
        if folder == data_dir or data_dir in folder.parents:
            problems.append(f"{file}: replication.replica: {folder} is inside storage.data_dir; put the replica "
                            "on another disk or a mounted share, or a dead disk takes both")
        settings["replica"] = str(folder)
    if settings["sftp_key_file"]:
        settings["sftp_key_file"] = str((base_dir / Path(settings["sftp_key_file"]).expanduser()).resolve())
    for env_setting, secret_field in (("access_key_id_env", "access_key_id"),
                                      ("secret_access_key_env", "secret_access_key")):
        name = settings[env_setting]
        settings[secret_field] = (environ.get(name) or "").strip() if name else ""
    replication = Replication(**settings)
    if replication.kind == "s3":
        for env_setting in ("access_key_id_env", "secret_access_key_env"):
            name = settings[env_setting]
            if name and not environ.get(name):
                problems.append(f"${name}: not set; the s3:// replica (replication.replica) needs it "
                                f"(or set replication.{env_setting} = \"\" to use the usual AWS variables)")
    return replication


def _section(values: dict[str, Any], section: str) -> dict[str, Any]:
    prefix = section + "."
    return {name[len(prefix):]: value for name, value in values.items() if name.startswith(prefix)}


def _check_table(section: str, where: str, table: Mapping[str, Any], file: str, problems: list[str]) -> dict:
    """Check one table's keys and values; return ``{setting name: value}`` with defaults filled in."""
    known = {s.key: s for s in SETTINGS if s.section == section}
    checked: dict[str, Any] = {}
    for key, value in table.items():
        setting = known.get(key)
        if setting is None:
            suggestion = _did_you_mean(key, known)
            if not suggestion:
                elsewhere = [s.name for s in SETTINGS if s.key == key]
                suggestion = f" (did you mean {elsewhere[0]!r}?)" if elsewhere else ""
            problems.append(f"{file}: {where}.{key}: unknown setting{suggestion}")
            continue
        try:
            checked[setting.name] = setting.kind.check(value)
        except TypeError:
            problems.append(f"{file}: {where}.{key}: expected {setting.kind.expected}, got {_describe(value)}")
        except _Invalid as error:
            problems.append(f"{file}: {where}.{key}: {error}")
    for key, setting in known.items():
        if setting.name in checked or key in table:
            continue
        if setting.default is REQUIRED:
            problems.append(f"{file}: {where}.{key}: missing (required)")
        else:
            checked[setting.name] = _default(setting)
    return checked


def _default(setting: Setting) -> Any:
    default = setting.default
    if isinstance(default, list):
        return tuple(default)
    return default


def describe_settings() -> str:
    """The settings table as Markdown (``python -m assist.config``), for checking docs/config.md."""
    lines = ["| Setting | Type | Default |", "|---|---|---|"]
    for setting in SETTINGS:
        lines.append(f"| `{setting.name}` | {setting.kind.expected} | `{setting.default_toml}` |")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(describe_settings())
