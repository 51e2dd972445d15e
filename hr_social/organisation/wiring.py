"""How the organisation settings plug in: the demo seeder (the logo). Its template global
``organisation_brand`` and menu entry are declared next to its views."""

from hr_social.organisation import demo  # noqa: F401 - registers the demo seeder
