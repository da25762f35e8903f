"""Use cases: each function takes plain arguments, opens and commits its own transaction, and
raises the domain errors of app.core.errors."""
