from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hr_social.auth import services
from hr_social.auth.forms import LoginForm, PasswordChangeForm
from hr_social.db import db
from hr_social.permissions import login_required_any, public
from hr_social.web.actions import REFUSED, perform
from hr_social.web.security import safe_next_path

blueprint = Blueprint("auth", __name__)


@blueprint.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form, headers = LoginForm(), {}
    status = REFUSED if form.is_submitted() else 200  # unless it succeeds below
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.username.data, form.password.data,
                                         request.remote_addr or "unknown")
        except services.LoginRefused as refusal:
            form.form_errors.append(str(refusal))
            if refusal.throttled:
                status, headers = 429, {"Retry-After": str(refusal.retry_after)}
        else:
            services.start_session(user, request.remote_addr, request.user_agent.string)
            db.session.commit()
            return redirect(safe_next_path(request.args.get("next")) or url_for("main.dashboard"))
    return render_template("auth/login.html", form=form), status, headers


@blueprint.post("/logout")
@login_required_any
def logout():
    services.end_current_session()
    db.session.commit()
    flash(_("Vous êtes déconnecté·e."), "info")
    return redirect(url_for("auth.login"))


@blueprint.route("/account/password", methods=["GET", "POST"])
@login_required_any
def change_password():
    form = PasswordChangeForm()
    address = request.remote_addr or "unknown"

    def count_wrong_password(refusal) -> None:
        if isinstance(refusal, services.LoginRefused) and not refusal.throttled:
            services.count_failed_reauth(current_user, address)
            db.session.commit()

    outcome = perform(form, lambda: services.change_own_password(
        current_user, current=form.current_password.data,
        new_password=form.new_password.data, address=address),
        success=_("Votre mot de passe a été changé. Vos autres sessions ont été fermées."),
        on_refused=count_wrong_password)
    if outcome.done:
        return redirect(url_for("main.dashboard"))
    return render_template("auth/password.html", form=form), outcome.status
