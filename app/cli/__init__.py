"""The `eventry` command line: thin click adapters over the services."""
