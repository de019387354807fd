"""``python -m riskscreen`` runs the CLI."""

import sys

from riskscreen.cli import main

sys.exit(main())
