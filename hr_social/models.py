"""Imports every model module so metadata (create_all, Alembic) sees all tables."""


def import_all_models() -> None:
    from hr_social.access_requests import models as _access_requests  # noqa: F401
    from hr_social.acknowledgements import models as _acknowledgements  # noqa: F401
    from hr_social.attachments import models as _attachments  # noqa: F401
    from hr_social.audit import models as _audit  # noqa: F401
    from hr_social.auth import models as _auth  # noqa: F401
    from hr_social.communications import models as _communications  # noqa: F401
    from hr_social.consents import models as _consents  # noqa: F401
    from hr_social.delegation import models as _delegation  # noqa: F401
    from hr_social.discipline import entries as _discipline  # noqa: F401
    from hr_social.documents import models as _documents  # noqa: F401
    from hr_social.jobs import models as _jobs  # noqa: F401
    from hr_social.mail import models as _mail  # noqa: F401
    from hr_social.organisation import models as _organisation  # noqa: F401
    from hr_social.people import models as _people  # noqa: F401
    from hr_social.records import models as _records  # noqa: F401
    from hr_social.records import requests_models as _records_requests  # noqa: F401
    from hr_social.web import models as _web  # noqa: F401
