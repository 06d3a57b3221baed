"""`python -m tui`: the same as the `heartline` command."""

import sys

from .cli import main

sys.exit(main())
