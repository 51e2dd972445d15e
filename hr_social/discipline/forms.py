"""Forms of the disciplinary domain; the rules themselves are checked by the services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    DecimalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import Length, NumberRange, Optional

from hr_social.discipline.entries import GRIEVANCE_OUTCOMES
from hr_social.discipline.models import DELIVERY_METHODS, GRAVITIES, LEVEL_KINDS, RETENTION
from hr_social.web.forms import OneTimeForm


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form):
        """Unknown ids are reported by the service with a clear message."""


class LenientSelectField(SelectField):
    def pre_validate(self, form):
        """The service says what is wrong with a choice, in French."""


class IncidentForm(OneTimeForm):
    person = LenientSelectField(_l("Personne concernée"), coerce=str)
    facts_on = DateField(_l("Date des faits"), validators=[Optional()])
    place = StringField(_l("Lieu des faits (ou plateforme)"), validators=[Length(max=200)])
    facts = TextAreaField(_l("Ce qui s'est passé, dans vos mots"),
                          validators=[Length(max=5000)])
    clauses = MultiCheckboxField(_l("Articles de la politique non respectés"), coerce=str)
    witnesses = TextAreaField(
        _l("Témoins (un par ligne : nom, ou matricule d'un membre du personnel)"),
        validators=[Length(max=2000)])
    links = TextAreaField(_l("Liens vers les publications (un par ligne)"),
                          validators=[Length(max=5000)])
    notes = TextAreaField(_l("Description des captures d'écran"),
                          validators=[Length(max=5000)])
    evidence = FileField(_l("Pièce jointe (PDF, PNG ou JPEG)"))


class ConvokeForm(OneTimeForm):
    hearing_at = DateTimeLocalField(_l("Date et heure de la rencontre"),
                                    format="%Y-%m-%dT%H:%M", validators=[Optional()])
    place = StringField(_l("Lieu"), validators=[Length(max=200)])


class HearingForm(OneTimeForm):
    heard_on = DateField(_l("Date de la rencontre"), validators=[Optional()])
    attendees = TextAreaField(_l("Personnes présentes"), validators=[Length(max=1000)])
    representative_present = BooleanField(_l("Une personne représentant le syndicat était "
                                             "présente"))
    person_version = TextAreaField(_l("Version de la personne, dans ses mots"),
                                   validators=[Length(max=5000)])


class DecisionForm(OneTimeForm):
    level = LenientSelectField(_l("Sanction"), coerce=str)
    gravity = LenientSelectField(_l("Gravité de la faute"),
                                 choices=[("", "—"), *GRAVITIES.items()])
    suspension_days = IntegerField(_l("Jours de suspension"), validators=[Optional()])
    justification = TextAreaField(_l("Justification (obligatoire si la sanction dépasse "
                                     "l'étape proposée)"), validators=[Length(max=5000)])
    no_hearing_reason = TextAreaField(_l("Raison d'une décision sans rencontre"),
                                      validators=[Length(max=5000)])
    decision_text = TextAreaField(_l("Motifs de la décision"), validators=[Length(max=5000)])
    cited = MultiCheckboxField(_l("Sanctions antérieures citées"), coerce=str)


class ReasonForm(OneTimeForm):
    reason = TextAreaField(_l("Raison"), validators=[Length(max=5000)])


class NotifyForm(OneTimeForm):
    notified_on = DateField(_l("Date de remise"), validators=[Optional()])
    method = LenientSelectField(_l("Mode de remise"),
                                choices=[("", "—"), *DELIVERY_METHODS.items()])


class EntryForm(OneTimeForm):
    kind = LenientSelectField(_l("Type d'ajout"), choices=[
        ("note", _l("Note au dossier")), ("correction", _l("Correction")),
        ("witness", _l("Témoin")), ("evidence_link", _l("Lien")),
        ("evidence_note", _l("Description d'une capture d'écran")),
        ("evidence_file", _l("Pièce jointe"))])
    field = StringField(_l("Élément corrigé (pour une correction)"),
                        validators=[Length(max=40)])
    text = TextAreaField(_l("Texte"), validators=[Length(max=5000)])
    url = StringField(_l("Lien"), validators=[Length(max=500)])
    evidence = FileField(_l("Fichier (PDF, PNG ou JPEG)"))


class GrievanceForm(OneTimeForm):
    filed_on = DateField(_l("Date de dépôt du grief"), validators=[Optional()])
    number = StringField(_l("Numéro du grief"), validators=[Length(max=60)])


class GrievanceOutcomeForm(OneTimeForm):
    outcome = LenientSelectField(_l("Issue"), choices=[("", "—"), *GRIEVANCE_OUTCOMES.items()])
    outcome_on = DateField(_l("Date"), validators=[Optional()])
    level = LenientSelectField(_l("Nouvelle sanction (si modifiée)"), coerce=str)
    days = IntegerField(_l("Jours (si suspension)"), validators=[Optional()])


class DamagesForm(OneTimeForm):
    amount = DecimalField(_l("Montant ($)"), places=2, validators=[Optional()])
    text = TextAreaField(_l("Raison ou suivi"), validators=[Length(max=5000)])


class SettingsForm(OneTimeForm):
    amnesty_months = IntegerField(_l("Période d'amnistie (mois sans récidive)"),
                                  validators=[Optional(), NumberRange(min=1, max=120)])
    restart_on_recidivism = BooleanField(_l("Une récidive dans la période fait repartir la "
                                            "période des sanctions antérieures"))
    retention = LenientSelectField(_l("Sanctions amnistiées"), choices=list(RETENTION.items()))


class LevelForm(OneTimeForm):
    label = StringField(_l("Libellé"), validators=[Length(max=120)])
    rank = IntegerField(_l("Rang dans l'échelle"), validators=[Optional()])
    kind = LenientSelectField(_l("Type"), choices=list(LEVEL_KINDS.items()))
    requires_days = BooleanField(_l("Exige un nombre de jours"))
    requires_dg = BooleanField(_l("Décidée par la Direction générale"))
    is_active = BooleanField(_l("En vigueur"), default=True)


class LinkForm(OneTimeForm):
    subject_type = LenientSelectField(_l("Type de dossier"))
    subject_id = StringField(_l("Numéro"), validators=[Length(max=20)])
