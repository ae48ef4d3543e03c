"""The schema revisions this Desk knows, read from the migration scripts without Alembic."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

MIGRATIONS = Path(__file__).with_name("migrations")
# Alembic is imported only when an upgrade is due (it costs ~0.2 s of every start otherwise):
# the start reads the revisions from the scripts' own ``revision``/``down_revision`` lines.
_REVISION = re.compile(r"^revision(?:\s*:[^=]*)?=\s*[\"']([^\"']+)[\"']", re.MULTILINE)
_DOWN = re.compile(r"^down_revision(?:\s*:[^=]*)?=\s*(?:[\"']([^\"']+)[\"']|None)", re.MULTILINE)


@cache
def known_revisions() -> dict[str, str | None]:
    """Each migration script's revision and the one it follows, read without Alembic."""
    found: dict[str, str | None] = {}
    for script in sorted((MIGRATIONS / "versions").glob("*.py")):
        source = script.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN.search(source)
        if revision is None or down is None:
            raise RuntimeError(f"migration script {script.name} names no revision")
        found[revision.group(1)] = down.group(1)
    return found


def head_revision() -> str:
    """Return the schema revision this version of Desk writes."""
    revisions = known_revisions()
    heads = set(revisions) - {down for down in revisions.values() if down is not None}
    if len(heads) != 1:
        raise RuntimeError(f"the migration scripts have {len(heads)} heads: {sorted(heads)}")
    return heads.pop()
