"""Officers: readiness lists, coverage at 1:40, the live dashboard, rankings, certificates."""
