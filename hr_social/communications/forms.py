from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, MultipleFileField
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from hr_social.communications.models import ACCOUNT_STATUSES, CHANGE_KINDS, MEDIA, SHORT_MAX
from hr_social.web.forms import OneTimeForm


class LenientSelectField(SelectField):
    """Unknown or missing choices are reported by the service with a clear message."""

    def pre_validate(self, form):
        pass


def _int_or_none(value):
    try:
        number = int(value) if value not in (None, "", "None") else None
    except (TypeError, ValueError):
        return -1  # reported as unknown by the service
    # An id no table can hold is unknown too (and would overflow SQLite's integers).
    return number if number is None or 0 < number <= 2**31 - 1 else -1


class AccountForm(OneTimeForm):
    platform = LenientSelectField(_l("Plateforme"), coerce=_int_or_none)
    display_name = StringField(_l("Nom affiché"), validators=[DataRequired(), Length(max=150)])
    url = StringField(_l("Adresse (https://…)"), validators=[DataRequired(), Length(max=500)])
    service = LenientSelectField(_l("Service qui gère le compte"), coerce=_int_or_none)
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])


class StatusForm(OneTimeForm):
    status = SelectField(_l("Statut"), choices=list(ACCOUNT_STATUSES.items()))


class AdministratorForm(OneTimeForm):
    person = LenientSelectField(_l("Personne"), coerce=_int_or_none)


class LogoForm(OneTimeForm):
    purpose = TextAreaField(_l("Objet de l'utilisation du logo"),
                            validators=[DataRequired(), Length(max=2000)])
    medium = LenientSelectField(_l("Où le logo sera-t-il utilisé ?"),
                                choices=list(MEDIA.items()))
    account = LenientSelectField(_l("Compte officiel (si c'est le support)"),
                                 coerce=_int_or_none)
    medium_detail = StringField(_l("Précisez le support (compte, document, partenaire)"),
                                validators=[Optional(), Length(max=SHORT_MAX)])
    audience = StringField(_l("Public visé"), validators=[DataRequired(),
                                                          Length(max=SHORT_MAX)])
    starts_on = DateField(_l("Début de la période"), validators=[DataRequired(
        message=_l("Indiquez le début de la période."))])
    ends_on = DateField(_l("Fin de la période"), validators=[DataRequired(
        message=_l("Indiquez la fin de la période."))])
    visual = FileField(_l("Visuel ou maquette (PNG, JPEG ou PDF)"))


DECISIONS = {
    "approve": _l("Autoriser / approuver"),
    "request_changes": _l("Demander des modifications"),
    "escalate": _l("Transmettre à la Direction générale"),
    "refuse": _l("Refuser"),
}


class DecisionForm(OneTimeForm):
    decision = RadioField(_l("Décision"), choices=list(DECISIONS.items()),
                          validators=[DataRequired(message=_l("Choisissez une décision."))])
    note = TextAreaField(_l("Note, modifications demandées ou motif du refus"),
                         validators=[Optional(), Length(max=2000)])
    conditions = TextAreaField(_l("Conditions de l'autorisation"),
                               validators=[Optional(), Length(max=2000)])
    valid_until = DateField(_l("Valide jusqu'au (par défaut : fin de la période)"),
                            validators=[Optional()])


class ChangeForm(OneTimeForm):
    account = LenientSelectField(_l("Compte officiel"), coerce=_int_or_none)
    kind = LenientSelectField(_l("Genre de modification"), choices=list(CHANGE_KINDS.items()))
    proposed_text = TextAreaField(_l("Contenu proposé (texte, description de l'image)"),
                                  validators=[DataRequired(), Length(max=2000)])
    wanted_on = DateField(_l("Date souhaitée"), validators=[Optional()])
    administrator = LenientSelectField(_l("Personne à ajouter ou retirer (administrateurs)"),
                                       coerce=_int_or_none)
    new_platform = LenientSelectField(_l("Plateforme (nouveau compte)"), coerce=_int_or_none)
    new_display_name = StringField(_l("Nom du nouveau compte"),
                                   validators=[Optional(), Length(max=150)])
    new_url = StringField(_l("Adresse prévue (facultative)"),
                          validators=[Optional(), Length(max=500)])
    new_service = LenientSelectField(_l("Service qui gérera le nouveau compte"),
                                     coerce=_int_or_none)
    files = MultipleFileField(_l("Images proposées (PNG, JPEG ou PDF)"))


class DoneForm(OneTimeForm):
    result = TextAreaField(_l("Résultat"), validators=[DataRequired(), Length(max=2000)])
    result_url = StringField(_l("Lien vers le résultat"), validators=[Optional(),
                                                                      Length(max=500)])
    screenshot = FileField(_l("Capture d'écran (PNG, JPEG ou PDF)"))
