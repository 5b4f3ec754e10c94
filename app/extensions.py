"""Flask extensions, created unbound and initialised in the factory."""

from __future__ import annotations

from flask import Flask
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect

login_manager = LoginManager()
csrf = CSRFProtect()
compress = Compress()
# Storage from RATELIMIT_STORAGE_URI: memory:// by default, redis://... when configured.
limiter = Limiter(key_func=get_remote_address)


def init_app(app: Flask) -> None:
    """Bind login, CSRF, compression and rate limits to the app."""
    login_manager.init_app(app)
    login_manager.login_view = "site.auth.login"
    # "basic", not "strong": phones on mobile data change IP address all the time.
    login_manager.session_protection = "basic"
    csrf.init_app(app)
    compress.init_app(app)
    limiter.init_app(app)
