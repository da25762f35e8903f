"""Read queries, grouped by what they read; the services call these instead of building SQL."""
