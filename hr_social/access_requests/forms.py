from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, Length, Optional

from hr_social.access_requests.models import CATEGORIES, PURPOSE_MAX, Platform
from hr_social.web.forms import OneTimeForm


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form):
        """Unknown ids are reported by the service with a clear message, not here."""


class RequestForm(OneTimeForm):
    platforms = MultiCheckboxField(_l("Plateformes souhaitées"), coerce=str)
    purpose = TextAreaField(_l("Usage prévu, lié au travail de la Ville sur les médias sociaux"),
                            validators=[Length(max=PURPOSE_MAX, message=_l(
                                "L'usage prévu est trop long (1000 caractères au plus)."))])
    on_workstation = BooleanField(_l("Accès depuis mon poste de travail"), default=True)
    other_devices = StringField(_l("Autres appareils (portable, téléphone) : précisez"),
                                validators=[Optional(), Length(max=200)])
    wished_until = DateField(_l("Fin souhaitée (facultatif)"), validators=[Optional()])
    save_draft = SubmitField(_l("Enregistrer le brouillon"))
    submit_request = SubmitField(_l("Soumettre à la Direction générale"))


class RecommendationForm(OneTimeForm):
    """The opinion comes from the button pressed (favourable / unfavourable); the service
    checks it and asks for a comment when the opinion is unfavourable."""

    opinion = StringField(_l("Avis"))
    recommendation = TextAreaField(_l("Commentaire pour la Direction générale"),
                                   validators=[Length(max=1000, message=_l(
                                       "Le commentaire est trop long (1000 caractères au "
                                       "plus)."))])


class DecisionForm(OneTimeForm):
    """Per-platform fields are read by name (decision-<id>, review-<id>…) in the view."""

    note = TextAreaField(_l("Note de décision (facultative)"), validators=[Length(max=1000)])


class RestrictForm(OneTimeForm):
    conditions = TextAreaField(_l("Restrictions"), validators=[DataRequired(message=_l(
        "Décrivez les restrictions."))])
    reason = TextAreaField(_l("Raison"), validators=[DataRequired(message=_l(
        "Indiquez la raison."))])


class RevokeForm(OneTimeForm):
    reason = TextAreaField(_l("Raison de la révocation"), validators=[DataRequired(message=_l(
        "Indiquez la raison de la révocation."))])


class RenewForm(OneTimeForm):
    review_on = DateField(_l("Nouvelle date de révision"), validators=[Optional()])


class DeclineRenewalForm(OneTimeForm):
    reason = TextAreaField(_l("Raison du refus"), validators=[DataRequired(message=_l(
        "Indiquez la raison du refus."))])


class PlatformForm(OneTimeForm):
    columns_of = Platform
    name = StringField(_l("Nom"), validators=[DataRequired(), Length(max=80)])
    category = SelectField(_l("Catégorie"), choices=[(k, v) for k, v in CATEGORIES.items()])
    address_pattern = StringField(_l("Adresse (motif pour le filtrage, ex. *.facebook.com)"),
                                  validators=[Optional(), Length(max=200)])


class DelegationForm(OneTimeForm):
    delegate = SelectField(_l("Délégué·e"), coerce=int)
    starts_on = DateField(_l("Du"), validators=[DataRequired()])
    ends_on = DateField(_l("Au"), validators=[DataRequired()])
