"""Access requests to social platforms, their per-platform grants and the registry.

The domain's wiring (menu, signal subscriptions, dashboard cards, demo seeder) is in
``wiring.py``."""
