from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, NumberRange, Optional

from hr_social.records.incidents import LEVEL_LABELS
from hr_social.web.forms import OneTimeForm


class LenientSelectField(SelectField):
    def pre_validate(self, form):
        """The service says what is wrong with a choice, in French."""


class RuleForm(OneTimeForm):
    period_months = IntegerField(_l("Durée (mois)"), validators=[Optional(), NumberRange(
        min=0, max=1200, message=_l("La durée se compte en mois, de 0 à 1200."))])
    event = LenientSelectField(_l("À compter de"), coerce=str)
    disposition = LenientSelectField(_l("Sort à l'échéance"), coerce=str)


class HoldForm(OneTimeForm):
    kind = LenientSelectField(_l("Recours"), coerce=str)
    reference = StringField(_l("Référence (numéro de grief, de dossier, de plainte)"),
                            validators=[Length(max=100, message=_l(
                                "La référence compte 100 caractères au plus."))])
    employee_number = StringField(_l("Numéro d'employé de la personne (tous ses documents)"),
                                  validators=[Optional(), Length(max=20)])
    record_type = LenientSelectField(_l("Ou un seul document : type"), coerce=str)
    record_id = IntegerField(_l("Numéro du document"), validators=[Optional()])
    reason = TextAreaField(_l("Motif (facultatif)"), validators=[Length(max=2000)])


class LiftForm(OneTimeForm):
    reason = TextAreaField(_l("Motif de la levée"), validators=[Length(max=2000)])


LEVEL_CHOICES = [SelectChoice("", "—")] + [SelectChoice(k, v) for k, v in LEVEL_LABELS.items()]
SERIOUS_CHOICES = [SelectChoice("", _l("Pas encore évalué")),
                   SelectChoice("yes", _l("Oui : risque de préjudice sérieux")),
                   SelectChoice("no", _l("Non"))]


class IncidentForm(OneTimeForm):
    occurred_on = DateField(_l("Date de l'incident (si connue)"), validators=[Optional()])
    discovered_on = DateField(_l("Date où l'organisme en a eu connaissance"),
                              validators=[Optional()])
    description = TextAreaField(_l("Description de l'incident et de ses circonstances"),
                                validators=[Length(max=5000)])
    information = TextAreaField(_l("Renseignements personnels visés"),
                                validators=[Length(max=2000)])
    people_count = IntegerField(_l("Nombre de personnes concernées (si connu)"),
                                validators=[Optional()])
    sensitivity = LenientSelectField(_l("Sensibilité des renseignements"), coerce=str,
                                     choices=LEVEL_CHOICES)
    consequences = LenientSelectField(_l("Conséquences appréhendées de leur utilisation"),
                                      coerce=str, choices=LEVEL_CHOICES)
    likelihood = LenientSelectField(_l("Probabilité qu'ils soient utilisés à des fins "
                                       "préjudiciables"), coerce=str, choices=LEVEL_CHOICES)
    serious_risk = LenientSelectField(_l("Conclusion : risque de préjudice sérieux"),
                                      coerce=str, choices=SERIOUS_CHOICES)
    assessment_note = TextAreaField(_l("Motifs de l'évaluation"),
                                    validators=[Length(max=5000)])
    measures = TextAreaField(_l("Mesures prises pour diminuer le risque et éviter qu'un "
                                "incident semblable se reproduise"),
                             validators=[Length(max=5000)])
    commission_notified_on = DateField(_l("Avis à la Commission d'accès à l'information le"),
                                       validators=[Optional()])
    persons_notified_on = DateField(_l("Avis aux personnes concernées le"),
                                    validators=[Optional()])
    notice_note = TextAreaField(_l("Notes sur les avis (moyen, personnes avisées)"),
                                validators=[Length(max=2000)])
