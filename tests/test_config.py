"""config.toml and assist.config: every setting documented, checked, typed, and overridable."""

from __future__ import annotations

import dataclasses
import os
import re
import stat
import threading
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from assist import paths
from assist.config import (
    REQUIRED,
    SETTINGS,
    Config,
    ConfigError,
    config_from_mapping,
    contrast_with_white,
    load_config,
)

ROOT = Path(__file__).resolve().parents[1]
CONFIG_TOML = ROOT / "config.toml"
DOCS = ROOT / "docs" / "config.md"


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    """Work in an empty folder, so messages name ``config.toml`` and no env var interferes."""
    monkeypatch.chdir(tmp_path)
    for name in ("ASSIST_CONFIG", "ASSIST_DATA_DIR", "ASSIST_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def write(directory: Path, text: str, name: str = "config.toml") -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(text: str, directory: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(write(directory, text), environ={})
    return caught.value.problems


# -- the settings table, the docs and config.toml agree -----------------------------------------

def test_every_setting_is_documented_with_its_default():
    docs = DOCS.read_text(encoding="utf-8")
    documented = re.findall(r"^#### `([a-z_.]+)`$", docs, flags=re.M)
    assert documented == [s.name for s in SETTINGS]
    for setting in SETTINGS:
        section = docs.split(f"#### `{setting.name}`", 1)[1].split("\n#", 1)[0]
        assert f"Default: `{setting.default_toml}`" in section, setting.name
        assert setting.help.split(".")[0][:40] in section.replace("\n", " "), setting.name


def test_every_setting_appears_in_config_toml_with_a_comment():
    lines = CONFIG_TOML.read_text(encoding="utf-8").splitlines()
    section = None
    found: dict[str, int] = {}
    for number, line in enumerate(lines):
        header = re.match(r"^\[\[?([a-z_]+)\]\]?$", line.strip())
        if header:
            section = header.group(1)
            continue
        key = re.match(r"^#?\s*([a-z_]+)\s*=", line)
        if key and section:
            found.setdefault(f"{section}.{key.group(1)}", number)
    for setting in SETTINGS:
        assert setting.name in found, f"{setting.name} is not in config.toml (set or as a commented example)"
        previous = lines[found[setting.name] - 1].strip()
        assert previous.startswith("#"), f"{setting.name} has no comment above it in config.toml"


def test_every_documented_setting_name_is_unique_and_well_formed():
    names = [s.name for s in SETTINGS]
    assert len(names) == len(set(names))
    for setting in SETTINGS:
        assert re.fullmatch(r"[a-z]+\.[a-z_]+", setting.name)
        assert setting.help.strip()


def test_defaults_are_valid_values_of_their_type():
    for setting in SETTINGS:
        if setting.default in (REQUIRED, None):
            continue
        setting.kind.check(setting.default)


# -- the demo config -----------------------------------------------------------------------------

def test_demo_config_loads(in_tmp):
    config = load_config(CONFIG_TOML, environ={})
    assert config.council.name == "Demo Borough Council"
    assert config.languages.default in config.languages.available
    assert config.languages.available[0] == "en"
    assert [(v.id, v.name, v.mode) for v in config.venues] == [("central-library", "Central Library", "assisted")]
    assert config.venue("central-library").name == "Central Library"
    assert config.venue("nowhere") is None
    assert config.data_dir == ROOT / "data"
    assert config.database_path == ROOT / "data" / "assist.sqlite3"
    assert config.forms_dir == paths.forms_dir() == ROOT / "forms"
    assert config.source == CONFIG_TOML
    assert config.council.address_lines[0] == "Demo Borough Council"
    assert re.fullmatch(r"#[0-9a-f]{6}", config.council.brand_colour)


def test_config_is_frozen_and_typed(in_tmp):
    config = load_config(CONFIG_TOML, environ={})
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.council.name = "Other"  # type: ignore[misc]
    assert isinstance(config.languages.available, tuple)
    assert isinstance(config.sessions.kiosk_idle_minutes, int)
    assert isinstance(config.data_dir, Path)
    hash(config.venues)


def test_an_empty_file_gives_the_defaults(in_tmp):
    config = load_config(write(in_tmp, ""), environ={})
    defaults = {s.name: s.default for s in SETTINGS}
    assert config.council.name == defaults["council.name"]
    assert config.languages.available == tuple(defaults["languages.available"])
    assert config.sessions.online_idle_minutes == defaults["sessions.online_idle_minutes"]
    assert config.security.secret_key_env == "ASSIST_SECRET_KEY"
    assert config.venues == ()
    assert config.data_dir == in_tmp / "data"


# -- mistakes ------------------------------------------------------------------------------------

def test_unknown_setting_names_file_and_key_with_suggestion(in_tmp):
    assert problems_of('[council]\nnmae = "X"\n', in_tmp) == [
        "config.toml: council.nmae: unknown setting (did you mean 'name'?)"
    ]


def test_unknown_section_is_reported_with_suggestion(in_tmp):
    assert problems_of('[councel]\nname = "X"\n', in_tmp) == [
        "config.toml: councel: unknown section (did you mean 'council'?)"
    ]


def test_setting_in_the_wrong_section_points_to_the_right_one(in_tmp):
    [problem] = problems_of("[council]\nkiosk_idle_minutes = 5\n", in_tmp)
    assert problem == "config.toml: council.kiosk_idle_minutes: unknown setting (did you mean 'sessions.kiosk_idle_minutes'?)"
    [problem] = problems_of('name = "Demo"\n', in_tmp)
    assert "council.name" in problem and problem.startswith("config.toml: name: unknown setting")


def test_wrong_type_names_key_file_and_expected_type(in_tmp):
    [problem] = problems_of('[sessions]\nkiosk_idle_minutes = "5"\n', in_tmp)
    assert problem == ("config.toml: sessions.kiosk_idle_minutes: expected a whole number of at least 1, "
                       "got text ('5')")
    [problem] = problems_of("[sessions]\nkiosk_idle_minutes = true\n", in_tmp)
    assert "expected a whole number" in problem and "true/false" in problem
    [problem] = problems_of('[languages]\navailable = "en"\n', in_tmp)
    assert problem.startswith("config.toml: languages.available: expected a list of language codes")
    [problem] = problems_of("[council]\nname = 3\n", in_tmp)
    assert problem == "config.toml: council.name: expected text (not empty), got a whole number (3)"


def test_a_section_that_is_not_a_table(in_tmp):
    [problem] = problems_of('council = "Demo"\n', in_tmp)
    assert problem == "config.toml: council: expected a [council] table, got text ('Demo')"
    [problem] = problems_of('[venues]\nid = "x"\n', in_tmp)
    assert problem.startswith("config.toml: venues: expected [[venues]] tables")


def test_every_problem_is_reported_at_once(in_tmp):
    problems = problems_of('[council]\nnmae = "X"\nbrand_colour = "blue"\n[sessions]\ndraft_expiry_days = 0\n', in_tmp)
    assert len(problems) == 3
    with pytest.raises(ConfigError) as caught:
        load_config(in_tmp / "config.toml", environ={})
    assert str(caught.value) == "\n".join(problems)


def test_default_language_must_be_available(in_tmp):
    assert problems_of('[languages]\navailable = ["en", "cy"]\ndefault = "pl"\n', in_tmp) == [
        "config.toml: languages.default: 'pl' is not one of languages.available (en, cy)"
    ]


@pytest.mark.parametrize("available, message", [
    ("[]", "list at least one language"),
    ('["en", "en"]', "'en' is listed twice"),
    ('["english"]', "is not a language code"),
    ('["xx"]', "is not a language Babel knows"),
    ('["en", 1]', "expected language codes"),
])
def test_bad_language_lists(in_tmp, available, message):
    [problem] = problems_of(f"[languages]\navailable = {available}\n", in_tmp)
    assert problem.startswith("config.toml: languages.available: ") and message in problem


@pytest.mark.parametrize("colour, message", [
    ("blue", "is not a colour written like"),
    ("#12345", "is not a colour written like"),
    ("#ffdd00", "contrast ratio"),
])
def test_brand_colour_must_be_hex_and_readable(in_tmp, colour, message):
    [problem] = problems_of(f'[council]\nbrand_colour = "{colour}"\n', in_tmp)
    assert problem.startswith("config.toml: council.brand_colour: ") and message in problem


def test_brand_colour_is_normalised_to_lowercase(in_tmp):
    config = load_config(write(in_tmp, '[council]\nbrand_colour = "#1D70B8"\n'), environ={})
    assert config.council.brand_colour == "#1d70b8"


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=0xFFFFFF))
def test_any_hex_colour_is_accepted_exactly_when_white_text_is_readable(value):
    colour = f"#{value:06x}"
    data = {"council": {"brand_colour": colour}}
    if contrast_with_white(colour) >= 4.5:
        assert config_from_mapping(data, environ={}).council.brand_colour == colour
    else:
        with pytest.raises(ConfigError, match="contrast ratio"):
            config_from_mapping(data, environ={})


@pytest.mark.parametrize("value", ["0", "-5"])
def test_durations_must_be_positive(in_tmp, value):
    [problem] = problems_of(f"[retention]\ndays_after_delivery = {value}\n", in_tmp)
    assert problem == f"config.toml: retention.days_after_delivery: must be at least 1, not {value}"


def test_timeout_warning_must_be_shorter_than_the_timeout(in_tmp):
    [problem] = problems_of("[sessions]\nkiosk_idle_minutes = 1\nkiosk_warning_seconds = 60\n", in_tmp)
    assert problem.startswith("config.toml: sessions.kiosk_warning_seconds: the warning (60 seconds)")


def test_email_and_website_are_checked(in_tmp):
    problems = problems_of('[council]\ncontact_email = "council"\nwebsite = "www.example.gov.uk"\n', in_tmp)
    assert [p.split(": ")[1] for p in problems] == ["council.contact_email", "council.website"]


VENUE = '[[venues]]\nid = "{id}"\nname = "Library"\nmode = "{mode}"\n'


def test_venue_ids_are_kebab_case(in_tmp):
    [problem] = problems_of(VENUE.format(id="Central_Library", mode="assisted"), in_tmp)
    assert problem.startswith("config.toml: venues[0].id: 'Central_Library' must be lowercase letters")


def test_venue_ids_are_unique(in_tmp):
    text = VENUE.format(id="library", mode="assisted") + VENUE.format(id="library", mode="kiosk")
    assert problems_of(text, in_tmp) == ["config.toml: venues[1].id: 'library' is already the id of venues[0]"]


def test_venue_mode_and_required_keys(in_tmp):
    [problem] = problems_of(VENUE.format(id="library", mode="kiosc"), in_tmp)
    assert problem == "config.toml: venues[0].mode: 'kiosc' is not one of assisted, kiosk (did you mean 'kiosk'?)"
    assert problems_of('[[venues]]\nid = "library"\n', in_tmp) == ["config.toml: venues[0].name: missing (required)"]
    [problem] = problems_of(VENUE.format(id="library", mode="kiosk") + 'adress = "x"\n', in_tmp)
    assert problem == "config.toml: venues[0].adress: unknown setting (did you mean 'address'?)"


def test_venue_defaults(in_tmp):
    config = load_config(write(in_tmp, '[[venues]]\nid = "library"\nname = "Library"\n'), environ={})
    assert config.venues[0].mode == "assisted"
    assert config.venues[0].address == ""


def test_invalid_toml_and_missing_file(in_tmp):
    with pytest.raises(ConfigError, match=r"^config\.toml: not valid TOML: "):
        load_config(write(in_tmp, "[council\n"), environ={})
    with pytest.raises(ConfigError, match=r"^elsewhere\.toml: config file not found \(set by ASSIST_CONFIG\)$"):
        load_config(environ={"ASSIST_CONFIG": "elsewhere.toml"})


# -- files and environment ----------------------------------------------------------------------

def test_assist_config_chooses_the_file(in_tmp):
    path = write(in_tmp / "", '[council]\nname = "Elsewhere Council"\n', name="other.toml")
    assert load_config(environ={"ASSIST_CONFIG": str(path)}).council.name == "Elsewhere Council"


def test_default_file_is_config_toml_in_the_current_folder(in_tmp):
    write(in_tmp, '[council]\nname = "Here Council"\n')
    assert load_config(environ={}).council.name == "Here Council"


def test_default_file_falls_back_to_the_shipped_demo(in_tmp):
    assert load_config(environ={}).source == paths.default_config_file().resolve()


def test_os_environ_is_the_default_environment(in_tmp, monkeypatch):
    monkeypatch.setenv("ASSIST_DATA_DIR", str(in_tmp / "from-env"))
    assert load_config(write(in_tmp, "")).data_dir == in_tmp / "from-env"


def test_data_dir_is_relative_to_the_config_file(in_tmp):
    folder = in_tmp / "etc"
    folder.mkdir()
    config = load_config(write(folder, '[storage]\ndata_dir = "../var/assist"\n'), environ={})
    assert config.data_dir == in_tmp / "var" / "assist"
    assert config.database_path == in_tmp / "var" / "assist" / "assist.sqlite3"


def test_assist_data_dir_overrides_the_setting(in_tmp):
    path = write(in_tmp, '[storage]\ndata_dir = "data"\n')
    assert load_config(path, environ={"ASSIST_DATA_DIR": "/srv/assist"}).data_dir == Path("/srv/assist")
    assert load_config(path, environ={"ASSIST_DATA_DIR": "relative"}).data_dir == in_tmp / "relative"
    assert load_config(path, environ={"ASSIST_DATA_DIR": ""}).data_dir == in_tmp / "data"


def test_forms_directory_is_relative_to_the_config_file(in_tmp):
    folder = in_tmp / "etc"
    folder.mkdir()
    config = load_config(write(folder, '[forms]\ndirectory = "my-forms"\n'), environ={})
    assert config.forms_dir == folder / "my-forms"


# -- the secret key -------------------------------------------------------------------------------

def test_secret_key_file_is_private_and_stable(in_tmp):
    path = write(in_tmp, '[storage]\ndata_dir = "private/data"\n')
    first = load_config(path, environ={}).secret_key()
    key_file = in_tmp / "private" / "data" / "secret_key"
    assert re.fullmatch(r"[0-9a-f]{64}", first)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) & 0o077 == 0
    again = load_config(path, environ={})
    assert again.secret_key() == first == again.secret_key()
    assert key_file.read_text().strip() == first


def test_secret_key_from_the_environment(in_tmp):
    path = write(in_tmp, "")
    config = load_config(path, environ={"ASSIST_SECRET_KEY": "s" * 40})
    assert config.secret_key() == "s" * 40
    assert not (in_tmp / "data").exists()
    assert "s" * 40 not in repr(config)


def test_secret_key_variable_can_be_renamed(in_tmp):
    path = write(in_tmp, '[security]\nsecret_key_env = "COUNCIL_KEY"\n')
    assert load_config(path, environ={"COUNCIL_KEY": "k" * 32, "ASSIST_SECRET_KEY": "x" * 32}).secret_key() == "k" * 32


def test_short_secret_key_is_refused(in_tmp):
    with pytest.raises(ConfigError, match=r"^\$ASSIST_SECRET_KEY: the secret key must be at least 16 characters"):
        load_config(write(in_tmp, ""), environ={"ASSIST_SECRET_KEY": "short"})


def test_concurrent_first_start_agrees_on_one_key(in_tmp):
    config = load_config(write(in_tmp, ""), environ={})
    keys: list[str] = []
    threads = [threading.Thread(target=lambda: keys.append(config.secret_key())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(keys)) == 1 and len(keys) == 8


def test_config_can_be_built_from_a_mapping(tmp_path):
    config = config_from_mapping(tomllib.loads(CONFIG_TOML.read_text()), base_dir=tmp_path,
                                 environ={"ASSIST_SECRET_KEY": "a" * 32})
    assert isinstance(config, Config)
    assert config.data_dir == tmp_path / "data"
    assert config.secret_key() == "a" * 32
    assert os.environ.get("ASSIST_SECRET_KEY") != "a" * 32


def test_the_virus_scanner_address_is_checked(in_tmp):
    for good in ("tcp://127.0.0.1:3310", "tcp://clamd.internal:3310", "unix:///run/clamav/clamd.ctl"):
        config = load_config(write(in_tmp, f'[council]\nname = "X"\n[uploads]\nscanner = "{good}"\n'), environ={})
        assert config.uploads.scanner == good
    for bad in ("127.0.0.1:3310", "unix://run/clamav/clamd.ctl", "tcp://[::1]:3310", "tcp://host:99999"):
        [problem] = problems_of(f'[council]\nname = "X"\n[uploads]\nscanner = "{bad}"\n', in_tmp)
        assert problem.startswith("config.toml: uploads.scanner: must be like \"tcp://127.0.0.1:3310\""), problem
