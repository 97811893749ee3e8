"""`python -m anliegen` runs the `anliegen` command."""

from anliegen.cli import main

main()
