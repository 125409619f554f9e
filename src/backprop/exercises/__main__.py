"""``python -m backprop.exercises``: the instructors' tool (see :mod:`backprop.exercises.cli`)."""

import sys

from .cli import main

sys.exit(main())
