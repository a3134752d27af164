"""`python -m sbtext` runs the command-line interface."""

from sbtext.cli import main

main()
