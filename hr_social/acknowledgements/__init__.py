"""Policy versions, acknowledgement campaigns, signatures, printing and verification.

The domain's wiring (menu, dashboard card, signal subscription, job handler, demo seeder)
is in ``wiring.py``."""
