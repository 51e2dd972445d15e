from hr_social.audit.models import AuditEvent
from hr_social.db import db


def test_login_then_dashboard_in_french(client, make_user):
    user = make_user("employee")
    response = client.post(
        "/login", data={"username": user.username, "password": "mot-de-passe-de-test"}
    )
    assert response.status_code == 302
    page = client.get("/")
    assert page.status_code == 200
    assert "Tableau de bord" in page.get_data(as_text=True)
    assert db.session.query(AuditEvent).filter_by(action="user.logged_in").count() == 1
