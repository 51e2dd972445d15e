from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hr_social.auth import login_links, services
from hr_social.auth.forms import LoginForm, LoginLinkForm, PasswordChangeForm, UseLoginLinkForm
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
    return render_template("auth/login.html", form=form, offer_link=status == 429), \
        status, headers


@blueprint.route("/login/link", methods=["GET", "POST"])
@public
def login_link():
    """An owner kept out by failed attempts asks for a sign-in link by e-mail."""
    form = LoginLinkForm()
    if request.method == "GET" and not form.username.data:
        form.username.data = (request.args.get("username") or "")[:80]
    if form.validate_on_submit():
        login_links.send_login_link(form.username.data, request.remote_addr)
        db.session.commit()
        flash(_("Si ce compte est bloqué par des tentatives de connexion et qu'une adresse "
                "courriel lui est associée, un lien de connexion valable %(m)d minutes vient "
                "d'y être envoyé.", m=current_app.config["LOGIN_LINK_MINUTES"]), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/login_link.html", form=form)


@blueprint.route("/login/link/<token>", methods=["GET", "POST"])
@public
def use_login_link(token: str):
    form = UseLoginLinkForm()
    if form.validate_on_submit():
        user = login_links.claim_login_link(token, request.remote_addr)
        if user is not None:
            services.start_session(user, request.remote_addr, request.user_agent.string)
            db.session.commit()
            return redirect(url_for("main.dashboard"))
        db.session.commit()
    elif request.method == "GET" and login_links.usable(token):
        return render_template("auth/use_login_link.html", form=form, usable=True)
    return render_template("auth/use_login_link.html", form=form, usable=False), 404


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
