from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from hr_social.attachments.services import file_path
from hr_social.organisation.brand import organisation_brand
from hr_social.organisation.forms import OrganisationForm
from hr_social.organisation.models import OrganisationSettings
from hr_social.organisation.services import update_settings
from hr_social.permissions import public, roles_required
from hr_social.web.actions import perform
from hr_social.web.navigation import register_nav

blueprint = Blueprint("organisation", __name__, url_prefix="/organisation")
register_nav("organisation.settings", _l("Organisation"), ("admin",), order=92)
blueprint.add_app_template_global(organisation_brand, "organisation_brand")

# An SVG logo (only the one drawn for the demo: uploads are PNG or JPEG) opened on its own
# runs nothing and loads nothing.
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


@blueprint.route("/settings", methods=["GET", "POST"])
@roles_required("admin")
def settings():
    current = OrganisationSettings.current()
    form = OrganisationForm(obj=current)
    outcome = perform(form, lambda: update_settings(
        current_user, name=form.name.data, address=form.address.data,
        email_domain=form.email_domain.data, logo_file=form.logo.data))
    if outcome.done:
        if outcome.value:
            flash(_("Les paramètres de l'organisation ont été enregistrés."), "success")
        else:
            flash(_("Aucun changement."), "info")
        return redirect(url_for("organisation.settings"))
    return render_template("organisation/settings.html", form=form,
                           settings=current), outcome.status


@blueprint.get("/logo")
@public
def logo():
    """The logo is on every page header, the login page included: not confidential.
    Its URL carries ``?v=<logo id>``, so a new logo is seen at once despite the cache."""
    current = OrganisationSettings.current()
    if current.logo is None:
        abort(404)
    response = send_file(file_path(current.logo), mimetype=current.logo.content_type,
                         max_age=3600)
    if current.logo.content_type == "image/svg+xml":
        response.headers["Content-Security-Policy"] = SVG_CSP
    return response
