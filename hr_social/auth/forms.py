from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from hr_social.auth.passwords import password_error
from hr_social.web.forms import OneTimeForm


class LoginForm(FlaskForm):
    username = StringField(_l("Nom d'utilisateur"), validators=[DataRequired(), Length(max=80)],
                           render_kw={"autofocus": True, "autocomplete": "username"})
    password = PasswordField(_l("Mot de passe"), validators=[DataRequired(), Length(max=200)])


def strong_password(form, field):
    if message := password_error(field.data):
        raise ValidationError(message)


class PasswordChangeForm(OneTimeForm):
    current_password = PasswordField(_l("Mot de passe actuel"), validators=[DataRequired()])
    new_password = PasswordField(
        _l("Nouveau mot de passe"), validators=[DataRequired(), strong_password, Length(max=200)]
    )
    confirm = PasswordField(
        _l("Confirmez le nouveau mot de passe"),
        validators=[
            DataRequired(),
            EqualTo("new_password", _l("Les deux mots de passe diffèrent.")),
        ],
    )


class LoginLinkForm(FlaskForm):
    """Asks for a sign-in link by e-mail (a delayed account only)."""

    username = StringField(_l("Nom d'utilisateur"), validators=[DataRequired(), Length(max=80)])


class UseLoginLinkForm(FlaskForm):
    """The button that uses a sign-in link (a GET must not use it up)."""
