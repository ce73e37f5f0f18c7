"""python -m pyscap: the command-line tool."""

from .cli import main

main()
