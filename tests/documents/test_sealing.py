"""The organisation's PAdES seal (``hr_social.documents.sealing``): its certificate is
created once, and any change to a sealed file breaks it."""

from hr_social.documents.sealing import check_seal


def test_a_configured_organisation_certificate_is_used(app, tmp_path):
    from hr_social.documents.sealing import ensure_certificate, seal
    from hr_social.pdf import html_to_pdf

    app.config.update(ACK_SEAL_KEY=str(tmp_path / "k.pem"), ACK_SEAL_CERT=str(tmp_path / "c.pem"))
    key, cert = ensure_certificate("Ville d'essai")
    assert key == tmp_path / "k.pem" and oct(key.stat().st_mode & 0o777) == "0o600"
    sealed = seal(html_to_pdf("<p>x</p>"), "Ville d'essai")
    assert check_seal(sealed).ok
    assert not check_seal(html_to_pdf("<p>x</p>")).ok  # no seal at all
    assert not check_seal(b"not a pdf").ok


def test_a_second_worker_waits_for_the_seal_being_created_and_uses_it(app, tmp_path):
    """Two first signatures at once: the second must not create a key of its own."""
    import threading
    import time

    from hr_social.documents.sealing import ensure_certificate

    app.config.update(ACK_SEAL_KEY=str(tmp_path / "k.pem"), ACK_SEAL_CERT=str(tmp_path / "c.pem"))
    lock = tmp_path / ".seal-creating"
    lock.write_text("")  # another worker is creating the seal
    result = {}

    def second_worker():
        with app.app_context():
            result["paths"] = ensure_certificate("Ville d'essai")

    thread = threading.Thread(target=second_worker)
    thread.start()
    time.sleep(0.3)
    assert thread.is_alive()  # it waits instead of creating a key
    (tmp_path / "k.pem").write_text("KEY OF THE FIRST WORKER")
    (tmp_path / "c.pem").write_text("CERT OF THE FIRST WORKER")
    thread.join(timeout=5)
    key, cert = result["paths"]
    assert key.read_text() == "KEY OF THE FIRST WORKER"
    assert cert.read_text() == "CERT OF THE FIRST WORKER"
