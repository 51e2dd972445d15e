"""Entry point for `flask --app app run` and gunicorn (`app:app`)."""

from hr_social import create_app

app = create_app()
