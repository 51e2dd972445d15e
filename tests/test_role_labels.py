from hr_social.permissions import role_labels


def test_role_names_read_as_french_labels(app):
    with app.test_request_context("/"):
        assert role_labels("employee, hr") == "Employé·e, Ressources humaines"
        assert role_labels(["dg"]) == "Direction générale"
        assert role_labels("") == ""
