"""The JSON API (public, and the officers' by bearer token), its documentation, API tokens and
the health check."""
