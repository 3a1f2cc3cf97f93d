"""``python -m csat_analysis``: the ``csat`` command."""

import sys

from .cli import main

sys.exit(main())
