"""Every blueprint of the application, and each domain's wiring, one line per domain."""


def wire_domains() -> None:
    """Each domain's menu entries, signal subscriptions, dashboard cards, job handlers and
    demo seeder live in its ``wiring.py``; importing it registers them."""
    from hr_social.access_requests import wiring as _access_requests  # noqa: F401
    from hr_social.acknowledgements import wiring as _acknowledgements  # noqa: F401
    from hr_social.auth import sentences as _auth_words  # noqa: F401 - audit entries' words
    from hr_social.communications import wiring as _communications  # noqa: F401
    from hr_social.consents import wiring as _consents  # noqa: F401
    from hr_social.discipline import wiring as _discipline  # noqa: F401
    from hr_social.organisation import sentences as _organisation_words  # noqa: F401
    from hr_social.organisation import wiring as _organisation  # noqa: F401
    from hr_social.people import wiring as _people  # noqa: F401
    from hr_social.records import requests_wiring as _records_file  # noqa: F401


def BLUEPRINTS():  # noqa: N802 - reads as the constant it stands for
    from hr_social.access_requests.views import blueprint as access_requests
    from hr_social.acknowledgements.offline import blueprint as acknowledgements_offline
    from hr_social.acknowledgements.views import blueprint as acknowledgements
    from hr_social.audit.views import blueprint as audit
    from hr_social.auth.two_factor_views import blueprint as two_factor
    from hr_social.auth.views import blueprint as auth
    from hr_social.communications.views import blueprint as communications
    from hr_social.consents.views import blueprint as consents
    from hr_social.discipline.routes import blueprint as discipline
    from hr_social.documents.views import blueprint as documents
    from hr_social.jobs.views import blueprint as jobs
    from hr_social.mail.views import blueprint as mail
    from hr_social.organisation.views import blueprint as organisation
    from hr_social.people.invitation_views import blueprint as invitations
    from hr_social.people.service_views import blueprint as services
    from hr_social.people.user_views import blueprint as users
    from hr_social.people.views import blueprint as people
    from hr_social.records.requests_views import blueprint as records_file
    from hr_social.records.routes import blueprint as records
    from hr_social.web.views import blueprint as main

    return [main, auth, people, services, users, organisation, audit, mail, access_requests,
            acknowledgements, documents, jobs, communications, discipline, two_factor,
            invitations, acknowledgements_offline, consents, records_file, records]
