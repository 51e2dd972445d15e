"""PAdES seal of official documents with the organisation's certificate (pyHanko).

The key and certificate are PEM files under ``instance/seal/`` (or the paths set in
``ACK_SEAL_KEY`` / ``ACK_SEAL_CERT``). Without them, a self-signed certificate is created
with ``cryptography`` on first use (the key file is mode 0600). Any change to a sealed file
makes ``check_seal`` fail.

pyHanko's synchronous API calls ``asyncio.run``: call these from a thread without a
running event loop (a web request, a CLI, a job; not from inside pytest-playwright).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app


def _paths() -> tuple[Path, Path]:
    config = current_app.config
    folder = Path(current_app.instance_path) / "seal"
    key = Path(config.get("ACK_SEAL_KEY") or folder / "seal-key.pem")
    cert = Path(config.get("ACK_SEAL_CERT") or folder / "seal-cert.pem")
    return key, cert


_LOCK_WAIT_SECONDS = 15


def ensure_certificate(organisation_name: str = "Municipalité") -> tuple[Path, Path]:
    """The seal's key and certificate, created once: two first signatures at the same time
    (two workers) must not each make a key, or one of the two sealed PDFs would not verify."""
    key_path, cert_path = _paths()
    if key_path.exists() and cert_path.exists():
        return key_path, cert_path
    key_path.parent.mkdir(parents=True, exist_ok=True)
    lock = key_path.parent / ".seal-creating"
    deadline = time.monotonic() + _LOCK_WAIT_SECONDS
    while True:
        try:
            os.close(os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            break
        except FileExistsError:
            if key_path.exists() and cert_path.exists():
                return key_path, cert_path  # the other creator finished
            if time.monotonic() > deadline:
                lock.unlink(missing_ok=True)  # its creator died: take over
            time.sleep(0.05)
    try:
        if not (key_path.exists() and cert_path.exists()):
            _create_certificate(key_path, cert_path, organisation_name)
    finally:
        lock.unlink(missing_ok=True)
    return key_path, cert_path


def _create_certificate(key_path: Path, cert_path: Path, organisation_name: str) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CA"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation_name[:64]),
        x509.NameAttribute(NameOID.COMMON_NAME, f"Sceau — {organisation_name}"[:64]),
    ])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=True,
            crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .sign(key, hashes.SHA256())
    )
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    # The certificate appears last and whole: readers test for both files.
    partial = cert_path.with_suffix(".part")
    partial.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    os.replace(partial, cert_path)


def seal(pdf: bytes, organisation_name: str, *,
         reason: str = "Document officiel scellé par l'organisation") -> bytes:
    """The PDF with the organisation's PAdES seal (SHA-256) covering the whole file;
    ``reason`` is written in the signature (e.g. what the signer did)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    key_path, cert_path = ensure_certificate(organisation_name)
    signer = signers.SimpleSigner.load(str(key_path), str(cert_path))
    metadata = signers.PdfSignatureMetadata(
        field_name="SceauOrganisation", subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason, name=organisation_name,
        md_algorithm="sha256",
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    out = signers.sign_pdf(writer, metadata, signer=signer)
    return out.getvalue()


@dataclass
class SealCheck:
    ok: bool
    reason: str = ""


def check_seal(pdf: bytes) -> SealCheck:
    """Intact, valid against our certificate, and covering the whole file."""
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        _key, cert_path = _paths()
        root = load_cert_from_pemder(str(cert_path))
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        if not reader.embedded_signatures:
            return SealCheck(False, "no signature")
        signature = reader.embedded_signatures[0]
        status = validate_pdf_signature(signature, ValidationContext(trust_roots=[root]))
    except Exception as error:  # any parse failure means the file is not the sealed one
        return SealCheck(False, f"{type(error).__name__}: {error}"[:200])
    coverage_ok = status.coverage.name == "ENTIRE_FILE"
    ok = bool(status.intact and status.valid and status.trusted and coverage_ok)
    return SealCheck(ok, "" if ok else status.summary())
