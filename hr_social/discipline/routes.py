"""The discipline blueprint with every module that adds routes to it."""

from hr_social.discipline import dashboard, file_views, hr_views  # noqa: F401
from hr_social.discipline.views import blueprint  # noqa: F401
