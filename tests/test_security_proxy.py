"""``server.trusted_proxies``: behind a TLS proxy the session cookie is Secure and HSTS is sent; with
no proxy trusted, X-Forwarded-* headers change nothing."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from conftest import CheckingClient

ROOT = Path(__file__).resolve().parents[1]
HTTPS_PROXY = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7", "X-Forwarded-Host": "forms.example"}
HSTS = "Strict-Transport-Security"


def _app(config, proxies):
    from assist import create_app

    app = create_app(dataclasses.replace(config, server=dataclasses.replace(config.server, trusted_proxies=proxies)),
                     testing=True)
    app.test_client_class = CheckingClient
    return app


def _session_cookie(response) -> str:
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("assist_session="))


def test_behind_one_trusted_proxy_https_gets_a_secure_cookie_and_hsts(config):
    response = _app(config, 1).test_client().get("/forms/missed-bin/", headers=HTTPS_PROXY)
    assert "Secure" in _session_cookie(response)
    assert response.headers[HSTS] == "max-age=31536000"


def test_behind_a_trusted_proxy_plain_http_gets_neither(config):
    response = _app(config, 1).test_client().get("/forms/missed-bin/", headers={"X-Forwarded-Proto": "http"})
    assert "Secure" not in _session_cookie(response)
    assert HSTS not in response.headers


@pytest.mark.parametrize("path", ["/forms/missed-bin/", "/no-such-page", "/healthz"])
def test_with_no_trusted_proxy_forwarded_headers_are_ignored(config, path):
    response = _app(config, 0).test_client().get(path, headers=HTTPS_PROXY)
    assert HSTS not in response.headers
    if path == "/forms/missed-bin/":
        assert "Secure" not in _session_cookie(response)


def test_a_direct_https_request_gets_hsts_and_plain_http_does_not(config):
    client = _app(config, 0).test_client()
    assert client.get("/", base_url="https://tablet.example").headers[HSTS] == "max-age=31536000"
    assert HSTS not in client.get("/").headers


def test_the_setting_is_read_from_config_toml_and_must_not_be_negative(tmp_path):
    from assist.config import ConfigError, load_config

    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    assert "\ntrusted_proxies = 0\n" in text
    path = tmp_path / "config.toml"
    path.write_text(text.replace("\ntrusted_proxies = 0\n", "\ntrusted_proxies = 2\n"), encoding="utf-8")
    assert load_config(path, environ={"ASSIST_SECRET_KEY": "x" * 32}).server.trusted_proxies == 2
    path.write_text(text.replace("\ntrusted_proxies = 0\n", "\ntrusted_proxies = -1\n"), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={"ASSIST_SECRET_KEY": "x" * 32})
    assert any("server.trusted_proxies" in problem and "0 or more" in problem for problem in caught.value.problems)
