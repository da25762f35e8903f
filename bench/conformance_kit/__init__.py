"""The conformance instrument: Eventry measured over its REST API, as users get it.

bench/conformance.py is the command; these modules are its parts: a keep-alive HTTP client, a
throwaway gunicorn server, the vector loaders, the tallies, and one module per measurement.
"""
