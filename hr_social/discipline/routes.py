"""The discipline blueprint with every module that adds routes or cards to it."""

from hr_social.discipline import (  # noqa: F401
    dashboard,
    demo,  # noqa: F401 - registers the demo seeder
    file_views,
    hr_views,
)
from hr_social.discipline.views import blueprint  # noqa: F401
