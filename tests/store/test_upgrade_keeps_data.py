"""Upgrading a profile with work in it keeps every row and gives new columns their defaults."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from desk.store import migrate
from desk.store.db import Database

FIXTURES = Path(__file__).with_name("fixtures")
WHEN = "2026-11-20 09:00:00.000000"


def _fill_0002(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO accounts (id, username, display_name, role, active, created_at,"
            " failed_attempts, password_verifier, totp_sealed, languages)"
            " VALUES (1, 'jsmith', 'J Smith', 'operator', 1, ?, 0, 'verifier', 'sealed', 'en,cy')",
            (WHEN,),
        )
        conn.execute(
            "INSERT INTO official_accounts (id, platform, handle, display_name, direct_messages,"
            " active, created_at) VALUES (1, 'x', '@force', 'Force', 1, 1, ?)",
            (WHEN,),
        )
        conn.execute(
            "INSERT INTO authors (id, platform, platform_user_id, handle, display_name,"
            " first_seen_at) VALUES (1, 'x', 'u1', '@cat', 'Cat', ?)",
            (WHEN,),
        )
        conn.execute(
            "INSERT INTO cases (id, status, priority, risk, platform, official_account_id,"
            " author_id, thread_key, kind, summary, opened_at, due_at, last_item_at, item_count,"
            " owner_id, needs_assessment, fingerprint)"
            " VALUES (7, 'triage', 1, 'self-harm', 'x', 1, 1, 't1', 'mention', 'help', ?, ?, ?,"
            " 1, 1, 0, 'abc')",
            (WHEN, WHEN, WHEN),
        )


def test_cases_and_accounts_survive_the_0003_upgrade(tmp_path: Path) -> None:
    copy = tmp_path / "desk.sqlite3"
    shutil.copy(FIXTURES / "schema-0002.sqlite3", copy)
    _fill_0002(copy)
    db = Database.sqlite(copy)
    migrate.upgrade(db, tmp_path / "backups")
    db.dispose()
    with sqlite3.connect(copy) as conn:
        case = conn.execute(
            "SELECT status, owner_id, risk, notable, first_escalated_at, referred_at"
            " FROM cases WHERE id = 7"
        ).fetchone()
        account = conn.execute(
            "SELECT username, languages, totp_sealed, approved_by, under_investigation,"
            " disabled_at FROM accounts"
        ).fetchall()
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert case == ("triage", 1, "self-harm", "", None, None)
    assert account == [("jsmith", "en,cy", "sealed", "", 0, None)]
    # the queue's indexes are still there (the upgrade altered the table, it did not rebuild it)
    assert {"ix_cases_queue", "ix_cases_status_queue", "ix_escalations_waiting"} <= indexes
