"""Run ``desk-admin`` as ``python -m desk.cli``."""

from desk.cli.main import main

raise SystemExit(main())
