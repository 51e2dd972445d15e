"""A coded value's French label, the same rule for every model."""

from hr_social.access_requests.models import AccessRequest
from hr_social.discipline.entries import Grievance
from hr_social.labels import LabelOf


class Thing:
    kind_label = LabelOf("kind", {"a": "Première sorte"}, missing="Aucune")

    def __init__(self, kind):
        self.kind = kind


def test_a_label_reads_the_mapping_and_never_fails_on_an_unknown_code():
    assert Thing("a").kind_label == "Première sorte"
    assert Thing("zz").kind_label == "zz"
    assert Thing(None).kind_label == Thing("").kind_label == "Aucune"
    assert isinstance(Thing.__dict__["kind_label"], LabelOf)


def test_models_declare_their_labels(app):
    request = AccessRequest(state="submitted", recommendation_opinion=None, outcome="granted")
    assert request.state_label == "En attente de décision"
    assert request.recommendation_label == ""
    assert request.outcome_label == "Accordée"
    assert Grievance(outcome=None).outcome_label == "En cours"
