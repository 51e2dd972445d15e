from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from hr_social.organisation.models import OrganisationSettings
from hr_social.web.forms import OneTimeForm


class OrganisationForm(OneTimeForm):
    columns_of = OrganisationSettings
    name = StringField(_l("Nom de l'organisation"), validators=[DataRequired(), Length(max=200)])
    address = TextAreaField(_l("Adresse"), validators=[Optional(), Length(max=500)])
    email_domain = StringField(
        _l("Domaine de courriel professionnel"),
        validators=[Optional(), Length(max=200),
                    Regexp(r"^[a-z0-9.-]+\.[a-z]{2,}$", message=_l("Domaine invalide."))],
    )
    logo = FileField(_l("Logo (PNG ou JPEG)"))
