"""hr_social: the internal part of a municipal social-media policy, as a Flask application."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Configuration, extensions, models, blueprints and commands; no queries here."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder="static",
    )
    from hr_social.config import load_config

    load_config(app, config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    _init_extensions(app)
    _register_blueprints(app)
    _register_commands(app)

    from hr_social.permissions import check_access_rules

    check_access_rules(app)
    return app


def _init_extensions(app: Flask) -> None:
    from hr_social import i18n
    from hr_social.db import commit_kept_page_view_writes
    from hr_social.extensions import babel, csrf, db, login_manager, migrate
    from hr_social.models import import_all_models
    from hr_social.postgresql import end_reads_with_commit

    import_all_models()
    db.init_app(app)
    with app.app_context():
        end_reads_with_commit(db.engine)
    app.after_request(commit_kept_page_view_writes)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )
    i18n.init_app(app)

    from hr_social.auth.services import load_session_user
    from hr_social.people.models import AnonymousUser

    login_manager.init_app(app)
    login_manager.session_protection = None  # sessions are checked server-side instead
    login_manager.anonymous_user = AnonymousUser
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.request_loader(lambda _request: load_session_user())


def _register_blueprints(app: Flask) -> None:
    from hr_social import column_limits
    from hr_social.blueprints import BLUEPRINTS, wire_domains
    from hr_social.permissions import enforce_declared_rule
    from hr_social.web import errors, input_limits, security, status, transitions
    from hr_social.web.forms import action_fields

    wire_domains()
    input_limits.init_converters(app)  # before any rule is added
    for blueprint in BLUEPRINTS():
        app.register_blueprint(blueprint)
    app.before_request(enforce_declared_rule)
    security.init_app(app)
    errors.init_app(app)
    transitions.init_app(app)
    status.init_app(app)
    app.jinja_env.globals["action_fields"] = action_fields
    input_limits.init_app(app)
    column_limits.init_app(app)


def _register_commands(app: Flask) -> None:
    from hr_social.cli import register_commands

    register_commands(app)
