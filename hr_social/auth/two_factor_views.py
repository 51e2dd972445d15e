"""The second sign-in step, two-factor enrolment, and what a login must do first.

A login holding a temporary password goes to the password page, and one whose roles need
two-factor sign-in goes to enrolment, before any other page (``before_app_request``)."""

from __future__ import annotations

import time

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from hr_social.audit.services import record
from hr_social.auth import services, throttle, totp
from hr_social.auth.models import LoginAttempt
from hr_social.auth.signin_forms import CodeForm, EnrolForm
from hr_social.db import db
from hr_social.errors import DomainError
from hr_social.people.models import User
from hr_social.permissions import login_required_any, public, roles_required
from hr_social.web.actions import back_to, perform
from hr_social.web.forms import ActionForm
from hr_social.web.security import safe_next_path

blueprint = Blueprint("two_factor", __name__)

PENDING_KEY = "pending_2fa"
ENROL_KEY = "totp_enrol_secret"
# The password was right: the code must follow within this delay.
PENDING_SECONDS = 300
# Pages a login may reach before it changed its temporary password or enrolled.
ALWAYS_ALLOWED = {"static", "auth.logout", "main.set_locale", "main.health", "auth.login",
                  "two_factor.code"}


def ask_for_code(user: User, next_path: str | None):
    """After a right password, for a login with two-factor on: no session yet (what the
    password step wrote, such as a login created by the directory, is kept)."""
    db.session.commit()
    session[PENDING_KEY] = {"user_id": user.id, "at": int(time.time()),
                            "next": safe_next_path(next_path)}
    return redirect(url_for("two_factor.code"))


def _pending_user() -> tuple[User | None, str | None]:
    pending = session.get(PENDING_KEY) or {}
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None, None
    user = db.session.get(User, pending.get("user_id") or 0)
    if user is None or not user.is_active or not totp.is_enrolled(user):
        return None, None
    return user, pending.get("next")


@blueprint.route("/login/code", methods=["GET", "POST"])
@public
def code():
    user, next_path = _pending_user()
    if user is None:
        session.pop(PENDING_KEY, None)
        flash(_("Reconnectez-vous : le délai pour taper le code est passé."), "info")
        return redirect(url_for("auth.login"))
    form, status, headers = CodeForm(), 200, {}
    if form.validate_on_submit():
        address = request.remote_addr or "unknown"
        user_id, username = user.id, user.username
        wait = _reserve_code_attempt(username, address)
        try:
            if wait:
                raise services.LoginRefused(services.throttle_message(wait),
                                            retry_after=wait.retry_after_seconds)
            totp.verify(user, form.code.data)
        except (totp.CodeRefused, services.LoginRefused) as refusal:
            db.session.rollback()
            status = 422
            if isinstance(refusal, services.LoginRefused):
                status, headers = 429, {"Retry-After": str(refusal.retry_after)}
            else:
                _count_wrong_code(username, address)
                record(refusal.action, target_type="users", target_id=user_id,
                       target_label=username, actor=None, system_label=username)
                db.session.commit()
            form.code.errors = [str(refusal)]
        else:
            throttle.clear(_code_key(username, address))
            services.start_session(user, request.remote_addr, request.user_agent.string)
            db.session.commit()
            return redirect(next_path or url_for("main.dashboard"))
    return render_template("auth/code.html", form=form), status, headers


def _code_key(username: str, address: str) -> str:
    # Codes have their own counter: a right password (which clears the account's) must not
    # give a fresh series of guesses at the code.
    return throttle.account_key(username, address) + ":code"


def _reserve_code_attempt(username: str, address: str):
    """Like the password: counted before the check, committed at once (auth/throttle.py)."""
    config = current_app.config
    wait = throttle.waiting(throttle.address_key(address)) or throttle.reserve(
        _code_key(username, address), config["LOGIN_MAX_FAILURES_PER_ACCOUNT"])
    if wait:
        db.session.rollback()
        return wait
    db.session.commit()
    return None


def _count_wrong_code(username: str, address: str) -> None:
    """A wrong code counts like a wrong password, for the account and the address."""
    config = current_app.config
    db.session.add(LoginAttempt(username=username, ip_address=address, succeeded=False))
    throttle.count_failure(throttle.account_key(username, address),
                           config["LOGIN_MAX_FAILURES_PER_ACCOUNT"])
    throttle.count_failure(throttle.address_key(address),
                           config["LOGIN_MAX_FAILURES_PER_ADDRESS"])


@blueprint.route("/account/two-factor", methods=["GET", "POST"])
@login_required_any
def enrol():
    if totp.is_enrolled(current_user):
        return render_template("auth/two_factor.html", enrolled=True,
                               remaining=totp.remaining_recovery_codes(current_user))
    form = EnrolForm()
    secret = session.get(ENROL_KEY)
    if not secret or request.method == "GET":
        secret = session[ENROL_KEY] = totp.new_secret()

    def audit_failure(_refusal) -> None:
        record("user.two_factor_enrolment_failed", target=current_user, actor=current_user)
        db.session.commit()

    outcome = perform(form, lambda: totp.confirm_enrolment(current_user, secret, form.code.data),
                      on_refused=audit_failure)
    if outcome.done:
        session.pop(ENROL_KEY, None)
        # Shown once: only their hashes are kept.
        return render_template("auth/recovery_codes.html", codes=outcome.value)
    return render_template("auth/two_factor.html", enrolled=False, form=form, secret=secret,
                           qr=totp.qr_code(current_user, secret)), outcome.status


@blueprint.post("/admin/users/<int:user_id>/two-factor/reset")
@roles_required("admin")
def reset(user_id: int):
    """A lost phone: the administrator removes the authenticator; enrol again at next login."""
    user = db.get_or_404(User, user_id)
    outcome = perform(ActionForm(), lambda: _reset(user), flash_errors=True, success=_(
        "La validation en deux étapes de %(u)s est réinitialisée : elle sera configurée de "
        "nouveau à la prochaine connexion.", u=user.username))
    return back_to(url_for("users.edit", user_id=user.id), outcome)


def _reset(user: User) -> None:
    if user.id == current_user.id:
        raise DomainError(_("Demandez à un autre administrateur de réinitialiser votre "
                            "validation en deux étapes."))
    totp.reset(current_user, user)
    services.end_all_sessions(user, "two_factor_reset")


@blueprint.before_app_request
def first_things_first():
    """Before anything else: change a temporary password, enrol a second factor."""
    endpoint = request.endpoint or ""
    if endpoint in ALWAYS_ALLOWED or not current_user.is_authenticated:
        return None
    if current_user.must_change_password and current_user.auth_source == "local":
        if endpoint != "auth.change_password":
            flash(_("Choisissez votre propre mot de passe avant de continuer : celui qui vous "
                    "a été remis est temporaire."), "warning")
            return redirect(url_for("auth.change_password"))
        return None
    if endpoint != "two_factor.enrol" and totp.needs_enrolment(current_user):
        flash(_("Votre rôle exige une validation en deux étapes : configurez une application "
                "d'authentification avant de continuer."), "warning")
        return redirect(url_for("two_factor.enrol"))
    return None
