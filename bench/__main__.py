"""``python -m bench``: run every figure and print one row each."""

import sys

from bench.runner import main

sys.exit(main())
