"""Registers each domain's command group on the app (`flask --app app …`)."""


def register_commands(app) -> None:
    from hr_social.access_requests.cli import access_cli
    from hr_social.acknowledgements.cli import acknowledgements_cli, policy_cli
    from hr_social.audit.cli import audit_cli
    from hr_social.auth.cli import users_cli
    from hr_social.backup.cli import backup_cli
    from hr_social.communications.cli import communications_cli
    from hr_social.consents.cli import consents_cli
    from hr_social.demo.cli import demo_cli
    from hr_social.discipline.cli import discipline_cli
    from hr_social.jobs.cli import jobs_cli
    from hr_social.mail.cli import mail_cli
    from hr_social.people.cli import people_cli
    from hr_social.records import requests_cli  # noqa: F401 - adds `records remind`
    from hr_social.records.cli import records_cli

    for group in (users_cli, audit_cli, mail_cli, backup_cli, people_cli, demo_cli, access_cli,
                  policy_cli, acknowledgements_cli, jobs_cli, communications_cli,
                  discipline_cli, consents_cli, records_cli):
        app.cli.add_command(group)
