"""The media of a consent and the signed documents: checked by content with a size limit per
kind, photos stripped of their location and device metadata, then stored through
``attachments`` — only once every check of the operation has passed, and removed again if
the operation is refused afterwards (no orphan file)."""

from __future__ import annotations

import base64
import binascii
import io
from contextlib import contextmanager
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from hr_social.attachments import services as attachments
from hr_social.attachments.services import UploadRejected
from hr_social.documents.services import sha256

MB = 1024 * 1024
IMAGES = {"image/jpeg", "image/png"}
DOCUMENTS = {"application/pdf", *IMAGES}
# kind -> (accepted types, default size limit); settings CONSENT_<KIND>_MAX_BYTES override.
MEDIA_RULES = {
    "photo": (IMAGES, 10 * MB),
    "video": ({"video/mp4"}, 50 * MB),
    "comment": (DOCUMENTS, 5 * MB),
    "article": (DOCUMENTS, 10 * MB),
    "confidential": (DOCUMENTS, 10 * MB),
    "scan": (DOCUMENTS, 10 * MB),
}
TYPE_NAMES = {"image/jpeg": "JPEG", "image/png": "PNG", "application/pdf": "PDF",
              "video/mp4": "MP4"}
# EXIF tags kept on a photo: only how to turn it; location and device go.
KEPT_EXIF_TAGS = {0x0112}  # Orientation
SIGNATURE_MAX_BYTES = 2 * MB


@dataclass
class CheckedFile:
    data: bytes
    content_type: str
    name: str


def limit_for(kind: str) -> int:
    return int(current_app.config.get(f"CONSENT_{kind.upper()}_MAX_BYTES",
                                      MEDIA_RULES[kind][1]))


def largest_limit() -> int:
    return max(limit_for(kind) for kind in MEDIA_RULES)


def sniff(data: bytes) -> str | None:
    if data[4:8] == b"ftyp":
        return "video/mp4"
    return attachments.sniff_type(data)


def check_file(file_storage, kind: str) -> CheckedFile:
    """Read one upload within its kind's limit and check its type by its bytes."""
    allowed, limit = MEDIA_RULES[kind][0], limit_for(kind)
    data = file_storage.read(limit + 1)
    name = file_storage.filename or "fichier"
    if not data:
        raise UploadRejected(_("Le fichier « %(name)s » est vide.", name=name[:80]))
    if len(data) > limit:
        raise UploadRejected(_("Le fichier « %(name)s » dépasse la taille permise pour ce genre "
                               "de média (%(mb)d Mo).", name=name[:80], mb=limit // MB))
    content_type = sniff(data)
    if content_type not in allowed:
        names = ", ".join(sorted(TYPE_NAMES[t] for t in allowed))
        raise UploadRejected(_("Le fichier « %(name)s » n'est pas ce qu'il prétend être ou son "
                               "format est refusé. Formats acceptés : %(formats)s.",
                               name=name[:80], formats=names))
    if content_type in IMAGES:
        data = strip_metadata(data, content_type, name)
    return CheckedFile(data, content_type, name)


def strip_metadata(data: bytes, content_type: str, name: str = "") -> bytes:
    """The photo without its location, device or other metadata (orientation kept)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            exif = image.getexif()
            kept = Image.Exif()
            for tag in KEPT_EXIF_TAGS & set(exif):
                kept[tag] = exif[tag]
            out = io.BytesIO()
            if content_type == "image/jpeg":
                image.save(out, format="JPEG", quality=92, exif=kept.tobytes())
            else:
                image.save(out, format="PNG", exif=kept.tobytes() if len(kept) else None)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise UploadRejected(_("L'image « %(name)s » est illisible.", name=name[:80])) \
            from error
    return out.getvalue()


def read_signature(data_url: str | None) -> bytes:
    """The drawn signature sent by the signature pad (a PNG data URL), refused when empty."""
    from PIL import Image, UnidentifiedImageError

    prefix = "data:image/png;base64,"
    text = (data_url or "").strip()
    if not text.startswith(prefix):
        raise UploadRejected(_("La signature est vide : faites signer la personne dans le "
                               "cadre prévu."))
    try:
        data = base64.b64decode(text[len(prefix):], validate=True)
    except (binascii.Error, ValueError) as error:
        raise UploadRejected(_("La signature reçue est illisible.")) from error
    if len(data) > SIGNATURE_MAX_BYTES or attachments.sniff_type(data) != "image/png":
        raise UploadRejected(_("La signature reçue est illisible."))
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            alpha = image.convert("RGBA").getchannel("A")
            gray = image.convert("L")
            drawn = alpha.getbbox() is not None and gray.point(
                lambda v: 255 if v < 200 else 0).getbbox() is not None
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise UploadRejected(_("La signature reçue est illisible.")) from error
    if not drawn:
        raise UploadRejected(_("La signature est vide : faites signer la personne dans le "
                               "cadre prévu."))
    return data


class Storage:
    """Stores checked files for one operation; ``discard()`` removes the files this operation
    wrote (a refusal after storing leaves no orphan file)."""

    def __init__(self):
        self.created = []

    def store(self, checked: CheckedFile, *, uploaded_by, subject):
        path = attachments.upload_root() / (digest := sha256(checked.data))[:2] / digest
        existed = path.exists()
        attachment = attachments.store_bytes(checked.data, checked.content_type, checked.name,
                                             uploaded_by=uploaded_by, subject=subject)
        if not existed:
            self.created.append(path)
        return attachment

    def discard(self) -> None:
        for path in self.created:
            path.unlink(missing_ok=True)
        self.created.clear()


@contextmanager
def storing():
    """``with storing() as storage:`` — files written inside are removed on any error."""
    storage = Storage()
    try:
        yield storage
    except BaseException:
        storage.discard()
        raise
