"""Forms of the register of access and correction requests (checks of substance are the
services'; fields only limit lengths)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from hr_social.records.requests_models import (
    CHANNELS,
    KINDS,
    OUTCOMES,
    SEND_CHANNELS,
    TEXT_MAX,
)
from hr_social.web.forms import OneTimeForm


class LenientSelectField(SelectField):
    def pre_validate(self, form):
        """The service says what is wrong with a choice, in French."""


def _choices(options: dict):
    return [("", "—"), *((k, str(v)) for k, v in options.items())]


class RequestForm(OneTimeForm):
    person = LenientSelectField(_l("Personne qui fait la demande"), coerce=str)
    asked_by = StringField(_l("Présentée par (représentant·e, s'il y a lieu)"),
                           validators=[Length(max=200)])
    kind = LenientSelectField(_l("Nature de la demande"), choices=_choices(KINDS))
    received_on = DateField(_l("Reçue le"), validators=[Optional()])
    received_via = LenientSelectField(_l("Reçue par"), choices=_choices(CHANNELS))
    asked = TextAreaField(_l("Ce qui est demandé"), validators=[Length(max=TEXT_MAX)])


class ExtensionForm(OneTimeForm):
    notice_on = DateField(_l("Avis transmis le"), validators=[Optional()])
    notice_via = LenientSelectField(_l("Avis transmis par"), choices=_choices(SEND_CHANNELS))
    reason = TextAreaField(_l("Motif de la prolongation"), validators=[Length(max=TEXT_MAX)])


class AnswerForm(OneTimeForm):
    answered_on = DateField(_l("Réponse envoyée le"), validators=[Optional()])
    answer_via = LenientSelectField(_l("Envoyée par"), choices=_choices(SEND_CHANNELS))
    outcome = LenientSelectField(_l("Décision"), choices=_choices(OUTCOMES))
    note = TextAreaField(_l("Motifs et articles invoqués"), validators=[Length(max=TEXT_MAX)])


class CorrectionForm(OneTimeForm):
    record = LenientSelectField(_l("Dossier corrigé"), coerce=str)
    what = TextAreaField(_l("Ce qui a été corrigé"), validators=[Length(max=TEXT_MAX)])
    corrected_on = DateField(_l("Corrigé le"), validators=[Optional()])
