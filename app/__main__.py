"""`python -m app` is the `eventry` command."""

from app.cli.main import main

main()
