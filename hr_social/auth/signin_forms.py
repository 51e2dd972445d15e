"""Forms of the second sign-in step, two-factor enrolment and invitations."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from hr_social.auth.forms import strong_password
from hr_social.web.forms import OneTimeForm


class CodeForm(FlaskForm):
    code = StringField(_l("Code à 6 chiffres ou code de récupération"),
                       validators=[DataRequired(), Length(max=20)])


class EnrolForm(OneTimeForm):
    code = StringField(_l("Code affiché par l'application"),
                       validators=[DataRequired(), Length(max=20)])


class ChoosePasswordForm(OneTimeForm):
    username = StringField(_l("Nom d'utilisateur"), validators=[DataRequired(), Length(max=80)])
    new_password = PasswordField(
        _l("Mot de passe"), validators=[DataRequired(), strong_password, Length(max=200)])
    confirm = PasswordField(
        _l("Confirmez le mot de passe"),
        validators=[DataRequired(),
                    EqualTo("new_password", _l("Les deux mots de passe diffèrent."))])
