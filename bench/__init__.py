"""Desk's benchmarks: each figure against the raw limit, measured in the same run on the same data.

Run ``python -m bench`` (1,000,000 items), ``python -m bench --quick`` (10,000 items, for CI),
``python -m bench --items N --json OUT``. See docs/performance.md.
"""
