from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from hr_social.auth.forms import strong_password
from hr_social.people.models import Person, PersonKind, Service
from hr_social.permissions import ROLE_LABELS
from hr_social.web.forms import OneTimeForm

KIND_LABELS = {
    PersonKind.employee: _l("Employé·e"),
    PersonKind.intern: _l("Stagiaire"),
    PersonKind.volunteer: _l("Bénévole"),
    PersonKind.contractor: _l("Contractuel·le"),
}


class PersonForm(OneTimeForm):
    columns_of = Person
    employee_number = StringField(_l("Matricule"), validators=[DataRequired(), Length(max=20)])
    first_name = StringField(_l("Prénom"), validators=[DataRequired(), Length(max=100)])
    last_name = StringField(_l("Nom de famille"), validators=[DataRequired(), Length(max=100)])
    email = StringField(_l("Courriel"), validators=[Optional(), Length(max=254)])
    service_id = SelectField(_l("Service"), coerce=int, validators=[InputRequired()])
    manager_number = StringField(_l("Matricule du gestionnaire"),
                                 validators=[Optional(), Length(max=20)])
    kind = SelectField(_l("Type"), validators=[DataRequired()],
                       choices=[SelectChoice(k.value, label) for k, label in KIND_LABELS.items()])
    job_title = StringField(_l("Titre du poste"), validators=[Optional(), Length(max=150)])
    hired_on = DateField(_l("Date d'embauche"), validators=[Optional()])


class DepartureForm(OneTimeForm):
    departed_on = DateField(_l("Date de départ"), validators=[InputRequired(
        message=_l("La date de départ est obligatoire."))])


class ServiceForm(OneTimeForm):
    columns_of = Service
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=20)])
    name = StringField(_l("Nom"), validators=[DataRequired(), Length(max=150)])


class ImportForm(OneTimeForm):
    file = FileField(_l("Fichier CSV"), validators=[DataRequired(
        message=_l("Choisissez un fichier CSV."))])
    dry_run = BooleanField(_l("Simulation : montrer les changements sans rien enregistrer"))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def role_choices():
    return [SelectChoice(role, label) for role, label in ROLE_LABELS.items()]


class RolesForm(OneTimeForm):
    roles = MultiCheckboxField(_l("Rôles"), choices=role_choices())


class NewPasswordForm(OneTimeForm):
    password = PasswordField(_l("Mot de passe initial"),
                             validators=[DataRequired(), strong_password, Length(max=200)])
    confirm = PasswordField(_l("Confirmez le mot de passe"), validators=[
        DataRequired(), EqualTo("password", _l("Les deux mots de passe diffèrent."))])


class LoginCreateForm(NewPasswordForm):
    person_number = StringField(_l("Matricule de la personne"),
                                validators=[DataRequired(), Length(max=20)])
    username = StringField(_l("Nom d'utilisateur"), validators=[DataRequired(), Length(max=80)])
    roles = MultiCheckboxField(_l("Rôles"), choices=role_choices(), default=["employee"])
