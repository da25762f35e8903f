"""The HTTP API: thin adapters that parse requests, call services and render JSON."""
