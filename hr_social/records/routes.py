"""The ``records`` blueprint with every module that adds routes to it."""

from hr_social.records import incident_views  # noqa: F401 - adds the incident routes
from hr_social.records.views import blueprint

__all__ = ["blueprint"]
