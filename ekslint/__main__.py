"""``python -m ekslint``: the same as the ``ekslint`` command."""

from ekslint.cli import main

main()
