"""Links that leave the application are built from BASE_URL, with or without a request."""

from __future__ import annotations

from hr_social.web.links import absolute_url, absolute_url_for


def test_links_use_the_configured_address_outside_any_request(app):
    app.config["BASE_URL"] = "https://rh.ville.test/intranet/"
    assert absolute_url("/verify/ABCD") == "https://rh.ville.test/intranet/verify/ABCD"
    assert absolute_url_for("access_requests.show", request_id=12) == \
        "https://rh.ville.test/intranet/access-requests/12"


def test_a_request_on_another_host_does_not_change_the_links(app):
    app.config["BASE_URL"] = "https://rh.ville.test"
    with app.test_request_context("/", base_url="http://10.0.0.5:8000"):
        assert absolute_url_for("acknowledgements.read_policy", ack_id=3) == \
            "https://rh.ville.test/acknowledgements/3/policy"
