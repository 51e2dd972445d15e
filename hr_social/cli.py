"""Registers each domain's command group on the app (`flask --app app …`)."""


def register_commands(app) -> None:
    from hr_social.audit.cli import audit_cli
    from hr_social.auth.cli import users_cli
    from hr_social.backup.cli import backup_cli
    from hr_social.mail.cli import mail_cli

    for group in (users_cli, audit_cli, mail_cli, backup_cli):
        app.cli.add_command(group)
