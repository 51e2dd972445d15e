from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from hr_social.acknowledgements.models import PolicyVersion
from hr_social.web.forms import OneTimeForm


class PolicyVersionForm(OneTimeForm):
    columns_of = PolicyVersion
    title = StringField(_l("Titre"), validators=[DataRequired(), Length(max=200)])
    version_label = StringField(_l("Version"), validators=[DataRequired(), Length(max=40)])
    effective_date = DateField(_l("En vigueur le"), validators=[DataRequired()])
    file = FileField(_l("Fichier du texte (texte, Markdown ou HTML)"))
    body = TextAreaField(_l("Ou texte de la politique"), validators=[Optional()])
    key_points = TextAreaField(
        _l("Principales obligations (une par ligne : « section | obligation »)"),
        validators=[Optional(), Length(max=5000)])


class PolicyDraftForm(OneTimeForm):
    """A draft corrected before publication: its text as stored (Markdown subset)."""

    columns_of = PolicyVersion
    title = StringField(_l("Titre"), validators=[DataRequired(), Length(max=200)])
    version_label = StringField(_l("Version"), validators=[DataRequired(), Length(max=40)])
    effective_date = DateField(_l("En vigueur le"), validators=[DataRequired()])
    body = TextAreaField(_l("Texte de la politique"),
                         validators=[DataRequired(), Length(max=1_000_000)])
    key_points = TextAreaField(
        _l("Principales obligations (une par ligne : « section | obligation »)"),
        validators=[Optional(), Length(max=5000)])


class SignForm(OneTimeForm):
    ticked = BooleanField(_l("J'ai lu la politique et je m'engage à la respecter."),
                          validators=[InputRequired()])
    typed_name = StringField(_l("Votre nom complet"), validators=[DataRequired(),
                                                                  Length(max=200)])
    password = PasswordField(_l("Votre mot de passe"), validators=[DataRequired()])


class PaperForm(OneTimeForm):
    signed_on = DateField(_l("Date de la signature"), validators=[DataRequired()])
    scan = FileField(_l("Copie numérisée (PDF, JPEG ou PNG)"))


class RefusalForm(OneTimeForm):
    refused_on = DateField(_l("Date du refus"), validators=[DataRequired()])
    witness = StringField(_l("Témoin"), validators=[DataRequired(), Length(max=200)])
    note = TextAreaField(_l("Remarque"), validators=[Optional(), Length(max=2000)])


class FollowUpForm(OneTimeForm):
    note = TextAreaField(_l("Suivi"), validators=[DataRequired(), Length(max=2000)])


class CampaignForm(OneTimeForm):
    deadline = DateField(_l("Date limite"), validators=[Optional()])
    reminder_count = IntegerField(_l("Nombre de rappels"),
                                  validators=[InputRequired(), NumberRange(0, 10)])
    reminder_interval_days = IntegerField(_l("Jours entre les rappels"),
                                          validators=[InputRequired(), NumberRange(1, 90)])


class BulkPrintForm(OneTimeForm):
    scope = RadioField(_l("Qui"), choices=[
        ("service", _l("Les personnes en attente d'un service")),
        ("campaign", _l("Les personnes en attente d'une campagne")),
        ("everyone", _l("Toutes les personnes en attente"))],
        default="service", validators=[DataRequired()])
    service_id = SelectField(_l("Service"), coerce=int, validators=[Optional()])
    campaign_id = SelectField(_l("Campagne"), coerce=int, validators=[Optional()])
