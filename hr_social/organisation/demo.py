"""Demo: the organisation's logo, a neutral municipal emblem drawn for the demo."""

from __future__ import annotations

from hr_social.demo import DemoContext, demo_seeder
from hr_social.organisation.services import use_demo_logo


@demo_seeder(11)  # after the people seeder has named the organisation
def seed_logo(context: DemoContext) -> None:
    use_demo_logo(None)
