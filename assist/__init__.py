"""assist: council forms for residents who are not online, with a helper, at a kiosk or on paper."""

from __future__ import annotations

from flask import Flask
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader

__version__ = "0.1.0"


def create_app(config=None, *, store=None, forms=None, testing: bool = False) -> Flask:
    """Build the Flask application.

    ``config`` is a loaded :class:`assist.config.Config` (read from ``config.toml``
    or ``$ASSIST_CONFIG`` when omitted). The app refuses to start when a form
    definition is broken: :class:`assist.engine.DefinitionError` says why.
    """
    from .engine import load_forms
    from .storage import DataKeys, Store
    from .web import register

    if config is None:
        from .config import load_config

        config = load_config()
    app = Flask(__name__, static_folder="static/dist", static_url_path="/assets")
    app.config.update(
        SECRET_KEY=config.secret_key(),
        TESTING=testing,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="assist_session",
        WTF_CSRF_TIME_LIMIT=None,
        MAX_CONTENT_LENGTH=1024 * 1024,
        BABEL_DEFAULT_LOCALE=config.languages.default,
    )
    app.jinja_loader = ChoiceLoader(
        [
            PackageLoader("assist"),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.extensions["assist.config"] = config
    app.extensions["assist.forms"] = forms if forms is not None else load_forms(config.forms_dir)
    if store is None:
        keys = DataKeys(config.data_key_path, config.security.data_key_env, config.data_key_from_env)
        store = Store(config.database_path, keys=keys)
        store.migrate()  # stops with DataKeyError when the data key is missing or is not the database's
    app.extensions["assist.store"] = store
    from .delivery import init_app as init_delivery  # submissions go to the outbox with their destinations

    init_delivery(app)
    register(app)
    proxies = config.server.trusted_proxies
    if proxies:  # outermost, so everything inside sees the scheme, host and address the proxy was asked for
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    from . import cli

    cli.register_commands(app)
    return app
