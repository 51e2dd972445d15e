"""French (and English) error pages; security headers apply to them too."""

from flask import render_template
from flask_wtf.csrf import CSRFError

from hr_social.db import db

HANDLED = (400, 403, 404, 405, 413, 429, 500)


def _render(code: int, description=None):
    if code == 500:
        db.session.rollback()
    return render_template("errors/error.html", code=code, description=description), code


def init_app(app) -> None:
    for code in HANDLED:
        app.register_error_handler(code, lambda error, code=code: _render(code))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _render(400, "csrf")
