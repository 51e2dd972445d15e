def test_fields_carry_no_empty_aria_attributes(login_as):
    client = login_as("employee")
    html = client.get("/account/password").get_data(as_text=True)
    assert 'aria-describedby="None"' not in html
    assert 'aria-invalid="None"' not in html
    assert 'aria-describedby="new_password-hint"' in html


def test_a_field_in_error_points_to_its_message(login_as):
    client = login_as("employee")
    html = client.submit("/account/password", data={"current_password": "x",
                                                    "new_password": "court",
                                                    "confirm": "court"}).get_data(as_text=True)
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="new_password-errors"' in html
