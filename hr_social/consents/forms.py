from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    FileField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import Length, Optional

from hr_social.consents.models import (
    AUTHORIZERS,
    CATEGORIES,
    KINDS,
    SHORT_MAX,
    TEXT_MAX,
    WITHDRAWAL_WAYS,
)
from hr_social.web.forms import OneTimeForm


def _choices(labels, blank=None):
    return ([("", blank)] if blank else []) + [(k, v) for k, v in labels.items()]


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form):
        """Unknown channels are reported by the service with a clear message."""


class LooseSelect(SelectField):
    def pre_validate(self, form):
        """The service says what is wrong with a value not offered."""


def short(label):
    return StringField(label, validators=[Optional(), Length(max=SHORT_MAX)])


def long(label):
    return TextAreaField(label, validators=[Optional(), Length(max=TEXT_MAX)])


class ConsentForm(OneTimeForm):
    person_name = short(_l("Nom de la personne qui consent"))
    category = LooseSelect(_l("Catégorie"), choices=_choices(CATEGORIES, _l("— choisir —")))
    contact = short(_l("Coordonnées (courriel, téléphone ou adresse)"))
    is_minor = BooleanField(_l("Personne mineure (le consentement est donné par un parent ou "
                               "tuteur)"))
    guardian_name = short(_l("Nom du parent ou tuteur"))
    guardian_relationship = StringField(_l("Lien avec la personne mineure"),
                                        validators=[Optional(), Length(max=80)])
    guardian_contact = short(_l("Coordonnées du parent ou tuteur"))
    kind = LooseSelect(_l("Genre de contenu"), choices=_choices(KINDS, _l("— choisir —")))
    description = long(_l("Description du contenu"))
    files = MultipleFileField(_l("Médias (photo JPEG ou PNG, vidéo MP4, document PDF)"))
    event_name = short(_l("Événement (facultatif)"))
    event_on = DateField(_l("Date de l'événement (facultatif)"), validators=[Optional()])
    purpose = long(_l("Usage prévu"))
    channels = MultiCheckboxField(_l("Canaux où le contenu peut paraître"), coerce=str)
    valid_from = DateField(_l("Valide à compter du"), validators=[Optional()])
    valid_until = DateField(_l("Valide jusqu'au (vide : jusqu'au retrait)"),
                            validators=[Optional()])
    authorized_by = LooseSelect(_l("Qui autorise la divulgation"),
                                choices=_choices(AUTHORIZERS, _l("— choisir —")))
    authorizer_name = short(_l("Par qui (nom et fonction)"))
    disclosed_what = long(_l("Ce qui peut être divulgué, exactement"))
    disclosed_to = short(_l("À qui"))
    disclosure_until = DateField(_l("Divulgation permise jusqu'au"), validators=[Optional()])


class PaperForm(OneTimeForm):
    signed_on = DateField(_l("Date de la signature"), validators=[Optional()])
    scan = FileField(_l("Formulaire signé, numérisé (PDF, JPEG ou PNG)"))


class ScreenForm(OneTimeForm):
    signature = HiddenField()
    place = short(_l("Lieu de la signature"))
    confirmed = BooleanField(_l("La personne a lu le texte affiché et signe ci-dessous"))


class WithdrawForm(OneTimeForm):
    withdrawn_on = DateField(_l("Date du retrait"), validators=[Optional()])
    way = RadioField(_l("Comment le retrait a été reçu"), choices=_choices(WITHDRAWAL_WAYS),
                     validate_choice=False)


class PublicationForm(OneTimeForm):
    channel = LooseSelect(_l("Compte officiel ou canal"))
    published_on = DateField(_l("Date de la publication"), validators=[Optional()])
    url = StringField(_l("Adresse de la publication"), validators=[Optional(), Length(max=500)])
    media_description = long(_l("Ce qui a été publié (médias)"))
    consent_ids = StringField(_l("Consentements sur lesquels elle repose (numéros)"),
                              validators=[Optional(), Length(max=500)])
    people = TextAreaField(_l("Personnes identifiables (une par ligne)"),
                           validators=[Optional(), Length(max=TEXT_MAX)])
    check_only = BooleanField(default=False)


class RemovedForm(OneTimeForm):
    removed_on = DateField(_l("Retirée le"), validators=[Optional()])
