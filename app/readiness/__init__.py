"""Training plans, progress at a glance, and readiness to collect data."""
