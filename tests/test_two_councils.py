"""Two councils on one host: two `assist serve` instances, each with its own config, data folder,
data key and port, never see each other's residents (docs/setup.md, "More than one council on a host")."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from assist.storage import DataKeyError, DataKeys, Store

ROOT = Path(__file__).resolve().parent.parent
ASSIST = Path(sys.executable).parent / "assist"
TYPED = "14 Orchard Row"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def council_config(folder: Path, name: str) -> Path:
    """The shipped config.toml with this council's name and its own data folder."""
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    text = text.replace('name = "Demo Borough Council"', f'name = "{name}"', 1)
    text = re.sub(r'(?m)^data_dir = "data"', f'data_dir = "{(folder / "data").as_posix()}"', text, count=1)
    path = folder / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


class Instance:
    """``assist serve`` for one council, on its own port."""

    def __init__(self, folder: Path, name: str):
        folder.mkdir()
        self.folder, self.name, self.port = folder, name, free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("ASSIST_")}
        env["ASSIST_CONFIG"] = str(council_config(folder, name))
        self.process = subprocess.Popen(
            [str(ASSIST), "serve", "--port", str(self.port), "--threads", "2", "--no-delivery", "--no-purge"],
            env=env, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.base = f"http://127.0.0.1:{self.port}"
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        deadline = time.monotonic() + 60
        while True:
            try:
                if self.get("/livez")[0] == 200:
                    break
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"{name} did not start: {self.process.stderr.read().decode()[-2000:]}")
            time.sleep(0.2)

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post(self, path: str, data: dict) -> tuple[int, str, str]:
        """Status, final address and page after following redirects."""
        body = urllib.parse.urlencode(data).encode()
        try:
            with self.opener.open(self.base + path, data=body, timeout=10) as response:
                return response.status, response.url, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.url, error.read().decode()

    @property
    def data_dir(self) -> Path:
        return self.folder / "data"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


@pytest.fixture
def councils(tmp_path):
    north = Instance(tmp_path / "north", "North Borough Council")
    try:
        south = Instance(tmp_path / "south", "South District Council")
    except BaseException:
        north.stop()
        raise
    yield north, south
    north.stop()
    south.stop()


def test_two_councils_on_one_host_never_see_each_others_residents(councils):
    north, south = councils
    assert north.name in north.get("/")[1] and south.name not in north.get("/")[1]
    assert south.name in south.get("/")[1]
    # A resident of North starts the missed-bin form and answers the first page.
    _, start = north.get("/forms/missed-bin/")
    status, first_page, page = north.post("/forms/missed-bin/start", {"csrf_token": token(start)})
    assert status == 200 and first_page.endswith("/forms/missed-bin/bin-type")
    status, _, _ = north.post("/forms/missed-bin/bin-type", {"csrf_token": token(page), "bin-type": "recycling"})
    assert status == 200
    # North's browser cookie means nothing to South: no draft there to carry on with.
    for cookie in north.cookies:
        south.cookies.set_cookie(cookie)
    assert "Continue your answers" in north.get("/forms/missed-bin/")[1]
    _, start_south = south.get("/forms/missed-bin/")
    assert "Continue your answers" not in start_south and "Start now" in start_south
    # Each data folder holds only its own council's journeys, under its own data key.
    north_key, south_key = (d.data_dir / "data_key" for d in (north, south))
    assert north_key.read_bytes() != south_key.read_bytes()
    north_store = Store(north.data_dir / "assist.sqlite3", keys=DataKeys(north_key))
    south_store = Store(south.data_dir / "assist.sqlite3", keys=DataKeys(south_key))
    north_ids = [row[0] for row in north_store.db.execute("select id from journeys").fetchall()]
    assert len(north_ids) == 1
    assert south_store.db.execute("select count(*) from journeys").fetchone()[0] == 0
    assert north_store.get_journey(north_ids[0])["answers"]["bin-type"] == "recycling"
    # South's key cannot open North's answers, even given North's database.
    with pytest.raises(DataKeyError):
        Store(north.data_dir / "assist.sqlite3", keys=DataKeys(south_key)).get_journey(north_ids[0])
