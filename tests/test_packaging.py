"""Packaging: pinned dependencies, a wheel that carries forms, printouts and translations, and
assist.paths finding them both in a checkout and when installed."""

from __future__ import annotations

import configparser
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from assist import paths

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "assist" / "static" / "dist"

# Not needed to build the wheel, and large or private.
COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", "node_modules", "data", "build", "dist", "*.egg-info",
                                     "__pycache__", ".pytest_cache", ".hypothesis", ".make", "test-output")


def setup_cfg() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "setup.cfg", encoding="utf-8")
    return parser


def requirement_lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip() and not line.strip().startswith("#")]


def test_dependencies_are_pinned_exactly():
    cfg = setup_cfg()
    install = requirement_lines(cfg["options"]["install_requires"])
    test = requirement_lines(cfg["options.extras_require"]["test"])
    for requirement in install + test:
        assert "==" in requirement, f"{requirement} is not pinned"
    names = {r.split("==")[0].lower() for r in install}
    assert {"flask", "flask-wtf", "wtforms", "flask-babel", "babel", "sqlite-utils", "weasyprint", "segno",
            "phonenumbers", "waitress", "govuk-frontend-jinja", "click"} <= names
    assert "govuk-frontend-jinja==4.1.0" in install
    assert {r.split("==")[0] for r in test} >= {"pytest", "pytest-xdist", "playwright", "pypdf", "html5lib"}
    assert cfg["options"]["python_requires"] == ">=3.11"
    assert "assist = assist.cli:main" in cfg["options.entry_points"]["console_scripts"]


def test_front_end_dependencies_are_pinned_and_locked():
    package = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())
    dev = package["devDependencies"]
    assert dev["govuk-frontend"] == "6.3.0", "govuk-frontend-jinja 4.1.0 renders GOV.UK Frontend 6.3.0"
    assert dev["axe-core"].startswith("4.")
    for name, version in dev.items():
        assert version[0].isdigit(), f"{name} {version} is not an exact version"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
    assert lock["packages"][""]["devDependencies"] == dev
    assert "build" in package["scripts"]


def test_gitignore_keeps_built_and_private_files_out():
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    for pattern in ("/.venv/", "node_modules/", "/assist/static/dist/", "/data/", "*.mo"):
        assert pattern in ignored


def test_paths_in_a_checkout():
    assert paths.forms_dir() == ROOT / "forms"
    assert paths.printouts_dir() == ROOT / "printouts"
    assert paths.translations_dir() == ROOT / "translations"
    assert paths.default_config_file() == ROOT / "config.toml"


def test_paths_when_installed(tmp_path, monkeypatch):
    prefix = tmp_path / "prefix"
    for name in ("forms", "printouts", "translations"):
        (prefix / "share" / "assist" / name).mkdir(parents=True)
    monkeypatch.setattr(paths, "ROOT", tmp_path / "site-packages")
    monkeypatch.setattr(sys, "prefix", str(prefix))
    assert paths.forms_dir() == prefix / "share" / "assist" / "forms"
    assert paths.printouts_dir() == prefix / "share" / "assist" / "printouts"
    assert paths.translations_dir() == prefix / "share" / "assist" / "translations"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built from a copy of the checkout (so no build files land in the repository)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    shutil.copytree(ROOT, source, ignore=COPY_IGNORE)
    if DIST.is_dir():  # built assets are part of the package when they exist
        shutil.copytree(DIST, source / "assist" / "static" / "dist", dirs_exist_ok=True)
    out = work / "out"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--disable-pip-version-check", "-w", str(out), str(source)],
        check=True, cwd=work, timeout=300,
    )
    [built] = out.glob("assist-*.whl")
    return built


def test_wheel_contains_code_templates_and_resources(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    data = next(n.split("/")[0] for n in names if n.endswith(".data/data/share/assist/config.toml"))
    share = f"{data}/data/share/assist"
    assert "assist/__init__.py" in names and "assist/config.py" in names and "assist/paths.py" in names
    assert "assist/templates/base.html" in names
    for form in (ROOT / "forms").glob("*.toml"):
        assert f"{share}/forms/{form.name}" in names
    for printout in (ROOT / "printouts").iterdir():
        if printout.is_file():
            assert f"{share}/printouts/{printout.name}" in names
    assert any(n.startswith(f"{share}/translations/") for n in names)
    for catalogue in (ROOT / "translations").glob("*/LC_MESSAGES/*.po"):
        assert f"{share}/translations/{catalogue.relative_to(ROOT / 'translations').as_posix()}" in names
    # The built stylesheet and scripts ship in the wheel (make test builds them first: `make assets`).
    assert (DIST / "assist.css").is_file(), "assets not built: run `make assets` (make test does)"
    assert "assist/static/dist/assist.css" in names
    assert "assist/static/dist/govuk-frontend.min.js" in names
    assert not any(n.startswith(("tests/", "bench/", "scripts/")) for n in names)
    assert not any("static/src/" in n for n in names)


def test_wheel_metadata(wheel):
    with zipfile.ZipFile(wheel) as archive:
        dist_info = next(n.split("/")[0] for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = archive.read(f"{dist_info}/METADATA").decode()
        entry_points = archive.read(f"{dist_info}/entry_points.txt").decode()
    assert "Requires-Python: >=3.11" in metadata
    assert "Requires-Dist: flask==3.1.3" in metadata
    assert "assist = assist.cli:main" in entry_points


def test_installed_wheel_finds_its_resources(wheel, tmp_path):
    """Install the wheel into a fresh environment; paths and the default config point into share/assist."""
    env_dir = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True, timeout=120)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
         "--disable-pip-version-check", str(wheel)],
        check=True, timeout=300,
    )
    # The fresh environment borrows this one's dependencies (Flask...) but not its editable assist.
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ASSIST_")}
    environ["PYTHONPATH"] = sysconfig.get_paths()["purelib"]
    environ["ASSIST_DATA_DIR"] = str(tmp_path / "data")
    script = (
        "import assist, assist.paths as p, assist.config as c\n"
        "cfg = c.load_config()\n"
        "print(assist.__file__)\n"
        "for path in (p.forms_dir(), p.printouts_dir(), p.translations_dir(), cfg.source, cfg.forms_dir):\n"
        "    print(path)\n"
    )
    result = subprocess.run([str(python), "-c", script], cwd=tmp_path, env=environ, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    module, forms, printouts, translations, config, config_forms = result.stdout.split("\n")[:6]
    assert module.startswith(str(env_dir))
    share = Path(str(env_dir)) / "share" / "assist"
    assert Path(forms) == share / "forms" == Path(config_forms)
    assert Path(printouts) == share / "printouts"
    assert Path(translations) == share / "translations"
    assert Path(config) == share / "config.toml"
    assert sorted(p.name for p in Path(forms).glob("*.toml")) == sorted(p.name for p in (ROOT / "forms").glob("*.toml"))


def test_built_stylesheet_has_no_gds_transport_and_carries_the_brand():
    css_file = DIST / "assist.css"
    assert css_file.is_file(), "assets not built: run `make assets` (make test does)"
    css = css_file.read_text()
    assert "GDS Transport" not in css and "gds-transport" not in css.lower()
    assert "arial" in css.lower()
    assert "\n" not in css.strip(), "assist.css should be compressed"
    from assist.config import load_config

    brand = load_config(ROOT / "config.toml", environ={"ASSIST_DATA_DIR": "/nonexistent"}).council.brand_colour
    assert f"--govuk-brand-colour: {brand}" in css or f"--govuk-brand-colour:{brand}" in css
    for name in ("assist.js", "govuk-frontend.min.js", "images/favicon.ico", "images/favicon.svg"):
        assert (DIST / name).is_file(), name
    assert "initAll" in (DIST / "assist.js").read_text()
