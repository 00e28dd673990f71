"""``python -m bench``: run the benchmark suite and print the table."""

import sys

from .run import main

sys.exit(main())
