"""SQLAlchemy 2.0 typed tables: the schema that the Alembic migrations create."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always handed back timezone-aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Store any aware time as UTC (naive on SQLite, which has no zones)."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("Desk stores only timezone-aware times")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        """Return the stored time as an aware UTC datetime."""
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Base of every Desk table."""

    metadata = MetaData(naming_convention=NAMING)


class Account(Base):
    """A person who can sign in: their role, state and sealed credentials."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    password_verifier: Mapped[str] = mapped_column(String(255))
    totp_sealed: Mapped[str | None] = mapped_column(String(255), nullable=True)
    totp_last_step: Mapped[int | None] = mapped_column(Integer, nullable=True)
    languages: Mapped[str] = mapped_column(String(40), default="en", server_default="en")
    # who approved the account or its current role (the access review shows it)
    approved_by: Mapped[str] = mapped_column(String(64), default="", server_default="")
    role_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # a leaver under investigation: their open cases must be reassigned at once
    under_investigation: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # the areas (neighbourhoods) they work, a JSON list; [] = the whole force (desk.core.areas)
    areas: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")


class AuditEntry(Base):
    """One append-only, chained audit entry (triggers refuse updates and deletes)."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    object: Mapped[str] = mapped_column(String(200))
    details: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_audit_log_action_seq", "action", "seq"),
        Index("ix_audit_log_object_seq", "object", "seq"),
    )


class AuditCheckpoint(Base):
    """A signed record of audit entries removed by retention: the chain restarts from it.

    The delete trigger on audit_log only lets through entries a checkpoint covers.
    """

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    first_seq: Mapped[int] = mapped_column(Integer)
    last_seq: Mapped[int] = mapped_column(Integer, unique=True)
    last_hash: Mapped[str] = mapped_column(String(64))  # the chain hash of entry last_seq
    last_at: Mapped[str] = mapped_column(String(40))
    count: Mapped[int] = mapped_column(Integer)
    cut_at: Mapped[str] = mapped_column(String(40))
    rule: Mapped[str] = mapped_column(String(100))
    batch_id: Mapped[int] = mapped_column(Integer)
    approved_by: Mapped[str] = mapped_column(String(64))
    run_by: Mapped[str] = mapped_column(String(64))
    public_key: Mapped[str] = mapped_column(String(100))
    signature: Mapped[str] = mapped_column(String(200))


class SignInSession(Base):
    """A signed-in session (window or command line); only a hash of its token is kept."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime] = mapped_column(UTCDateTime())
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    end_reason: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # the computer it was opened on (told by the window or desk-admin), and who ended it
    workstation: Mapped[str] = mapped_column(String(64), default="", server_default="")
    ended_by: Mapped[str | None] = mapped_column(String(64), nullable=True)


class Setting(Base):
    """A desk-wide setting, stored as JSON text."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class OfficialAccount(Base):
    """An official force account on a platform, set up by an administrator."""

    __tablename__ = "official_accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    handle: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str] = mapped_column(String(200))
    direct_messages: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # --- the register (issue 14; desk.core.account_register) ---
    link: Mapped[str] = mapped_column(String(500), default="", server_default="")
    # engagement, investigations (desk.core.account_register.Purpose)
    purpose: Mapped[str] = mapped_column(
        String(16), default="engagement", server_default="engagement"
    )
    owning_team: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # "" = force-wide, else the neighbourhood's name
    area: Mapped[str] = mapped_column(String(120), default="", server_default="")
    # JSON list of names: usernames on the desk or free names
    administrators: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")
    verified: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    two_factor: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    login_alerts: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    managed: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # WHERE the credentials are kept (a vault's name), never a secret
    credentials_location: Mapped[str] = mapped_column(String(300), default="", server_default="")
    opened_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    last_review_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    review_due_on: Mapped[date | None] = mapped_column(Date, nullable=True)

    __table_args__ = (UniqueConstraint("platform", "handle"),)


class Author(Base):
    """Someone who has written to the desk on one platform."""

    __tablename__ = "authors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    platform_user_id: Mapped[str] = mapped_column(String(200))
    handle: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(8), nullable=True)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # the impersonation watch (desk/services/impersonation.py): the official account this
    # author's handle or name resembles (no foreign key: authors are erased, accounts kept)
    impersonation_of: Mapped[int | None] = mapped_column(Integer, nullable=True)
    impersonation_why: Mapped[str | None] = mapped_column(String(16), nullable=True)
    impersonation: Mapped[str | None] = mapped_column(String(400), nullable=True)

    __table_args__ = (UniqueConstraint("platform", "platform_user_id"),)


class Case(Base):
    """A piece of work: one or more items from one author in one thread."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    priority: Mapped[int] = mapped_column(Integer)
    risk: Mapped[str] = mapped_column(String(400), default="")
    platform: Mapped[str] = mapped_column(String(16))
    official_account_id: Mapped[int] = mapped_column(ForeignKey("official_accounts.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"))
    thread_key: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(String(300))
    language: Mapped[str | None] = mapped_column(String(8), nullable=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_item_at: Mapped[datetime] = mapped_column(UTCDateTime())
    item_count: Mapped[int] = mapped_column(Integer, default=1)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), nullable=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    first_action_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(32), nullable=True)
    grade: Mapped[str | None] = mapped_column(String(40), nullable=True)
    needs_assessment: Mapped[bool] = mapped_column(Boolean, default=False)
    fingerprint: Mapped[str] = mapped_column(String(16), default="")
    # arrival to first escalation is reported for every case
    first_escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # referred to the investigations team (Desk is for engagement, not investigation)
    referred_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # flagged by an operator for the handover
    notable: Mapped[str] = mapped_column(String(300), default="", server_default="")
    # bumped by every write to the row (the ORM's version counter; bulk updates add one): a
    # change made from a stale view is refused instead of lost (services.case_work)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it

    __table_args__ = (
        # queue order; with the status, so that a page of the open cases is read in queue
        # order from this index alone (see queue_queries), and a jump by offset counts here
        Index("ix_cases_queue", "priority", "opened_at", "id", "status"),
        # a few statuses in queue order; with the target time for the status bar's counts
        Index("ix_cases_status_queue", "status", "priority", "opened_at", "id", "due_at"),
        Index("ix_cases_owner", "owner_id", "status"),
        # an import finds the cases an author's new items may join: recent ones, by author
        Index("ix_cases_joining", "author_id", "last_item_at"),
        Index("ix_cases_fingerprint", "fingerprint", "status"),
        Index("ix_cases_thread", "thread_key", "status"),
    )


class Item(Base):
    """One thing that arrived on an official account."""

    __tablename__ = "items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    official_account_id: Mapped[int] = mapped_column(ForeignKey("official_accounts.id"))
    kind: Mapped[str] = mapped_column(String(16))
    platform_id: Mapped[str] = mapped_column(String(200))
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"), index=True)
    author_text: Mapped[str] = mapped_column(String(400))
    text: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    media: Mapped[str] = mapped_column(Text, default="[]")
    thread_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    thread_title: Mapped[str | None] = mapped_column(String(300), nullable=True)
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    language: Mapped[str | None] = mapped_column(String(8), nullable=True)
    matches: Mapped[str] = mapped_column(Text, default="[]")
    redacted: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (
        UniqueConstraint("platform", "official_account_id", "platform_id"),
        Index("ix_items_received", "received_at", "platform"),
        # an import finds the desk of a reply by the post it replies to (desk.core.conversations)
        Index("ix_items_platform_id", "platform", "platform_id"),
    )


class OwnPost(Base):
    """A post by one of the force's official accounts: thread context, never a case or queued.

    An import recognises it by its author (an official account); the case's thread shows it as
    the force's. ``original`` keeps the record's bytes as received (evidence).
    """

    __tablename__ = "own_posts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    official_account_id: Mapped[int] = mapped_column(ForeignKey("official_accounts.id"))
    platform_id: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    media: Mapped[str] = mapped_column(Text, default="[]")
    thread_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    reply_to: Mapped[str | None] = mapped_column(String(200), nullable=True)
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime())
    original: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)

    __table_args__ = (
        UniqueConstraint("platform", "official_account_id", "platform_id"),
        Index("ix_own_posts_platform_id", "platform", "platform_id"),
        Index("ix_own_posts_thread", "platform", "thread_id"),
    )


class CaseEvent(Base):
    """One line of a case's timeline (the audit holds the same, chained)."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[str] = mapped_column(Text, default="{}")

    __table_args__ = (Index("ix_case_events_case", "case_id", "id"),)


class ThriveRecord(Base):
    """One version of a case's THRIVE assessment; every version is kept."""

    __tablename__ = "thrive_assessments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(64))
    threat: Mapped[str] = mapped_column(Text)
    harm: Mapped[str] = mapped_column(Text)
    risk: Mapped[str] = mapped_column(Text)
    investigation: Mapped[str] = mapped_column(Text)
    vulnerability: Mapped[str] = mapped_column(Text)
    engagement: Mapped[str] = mapped_column(Text)
    grade: Mapped[str] = mapped_column(String(40))
    # the risk categories the operator saw, comma-separated; "none" when they saw none, ""
    # when not said: what the rules missed or raised wrongly (desk-admin rules export-feedback)
    risk_seen: Mapped[str] = mapped_column(String(300), default="", server_default="")


class CaseViewer(Base):
    """Who has a case open right now (refreshed while they look at it)."""

    __tablename__ = "case_viewers"

    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    username: Mapped[str] = mapped_column(String(64))
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime())


# --- escalation, templates, moderation (issue 5) --------------------------------------------------


class EscalationTarget(Base):
    """Someone a case can be escalated to, with contact details an administrator keeps."""

    __tablename__ = "escalation_targets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # command, communications, call_for_service, intelligence, professional_standards,
    # neighbourhood, safeguarding, investigations (desk.core.escalation.TargetKind)
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    # neighbourhood teams are chosen by area; other kinds leave it empty
    area: Mapped[str] = mapped_column(String(100), default="", server_default="")
    email: Mapped[str] = mapped_column(String(320), default="", server_default="")
    phone: Mapped[str] = mapped_column(String(64), default="", server_default="")
    instructions: Mapped[str] = mapped_column(Text, default="", server_default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (UniqueConstraint("kind", "area"),)


class Escalation(Base):
    """One escalation of a case to a target, waiting for (or with) its acknowledgement."""

    __tablename__ = "escalations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("escalation_targets.id"))
    kind: Mapped[str] = mapped_column(String(32))
    # immediate, hour, today (desk.core.escalation.Urgency)
    urgency: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(String(500))
    # the hand-on document as it was sent: structured text built from the case
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(64))
    deadline_at: Mapped[datetime] = mapped_column(UTCDateTime())
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # who at the target acknowledged (free text: "Insp 1234 Jones"), and who recorded it
    acknowledged_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    ack_recorded_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    ack_note: Mapped[str] = mapped_column(Text, default="", server_default="")

    # the unacknowledged ones, by deadline: the queue, status bar and handover flag them
    __table_args__ = (
        Index("ix_escalations_waiting", "acknowledged_at", "deadline_at"),
        # the dashboard's escalations by target in a period
        Index("ix_escalations_created", "created_at", "kind"),
    )


class Guideline(Base):
    """One of the force's published community guidelines, named by moderation actions."""

    __tablename__ = "guidelines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    public_text: Mapped[str] = mapped_column(Text)
    public_text_cy: Mapped[str] = mapped_column(Text, default="", server_default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Template(Base):
    """A community-management template; its wording lives in versions."""

    __tablename__ = "templates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    # public_reply, private_reply, hide_notice, deletion_notice, block_notice, redirect,
    # appeal_acknowledgement, complaint_signposting (desk.core.templates.TemplateKind)
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))


class TemplateVersion(Base):
    """One version of a template's English and Welsh text, with its review status."""

    __tablename__ = "template_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("templates.id"))
    version: Mapped[int] = mapped_column(Integer)
    # draft, approved, retired: only approved versions are offered to operators
    status: Mapped[str] = mapped_column(String(16))
    text_en: Mapped[str] = mapped_column(Text)
    text_cy: Mapped[str] = mapped_column(Text, default="", server_default="")
    guideline_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(64))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    approved_by: Mapped[str | None] = mapped_column(String(64), nullable=True)

    __table_args__ = (UniqueConstraint("template_id", "version"),)


class Reply(Base):
    """A public or private reply on a case: its exact text, template version and approval."""

    __tablename__ = "replies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    # the author replied to (never cold-contact: they must have written on this account)
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"))
    official_account_id: Mapped[int] = mapped_column(ForeignKey("official_accounts.id"))
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8), default="en")
    template_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    template_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # sent, pending (awaiting approval), rejected
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    decided_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    decision_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    # a supervisor's one-message override of the no-cold-contact rule, with its reason
    override_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    override_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    __table_args__ = (Index("ix_replies_status", "status", "created_at"),)


class ModerationAction(Base):
    """Hide, unhide, delete, block, restrict or report: the rule broken and what the public saw."""

    __tablename__ = "moderation_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"), nullable=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"), index=True)
    # hide, unhide, delete, block, restrict, report (desk.core.moderation.ModerationKind)
    action: Mapped[str] = mapped_column(String(16))
    guideline_code: Mapped[str] = mapped_column(String(32))
    explanation: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(64))
    # "manual" (done by hand on the platform) or the connector that applied it
    applied_via: Mapped[str] = mapped_column(String(64), default="manual", server_default="manual")


# --- supervision (issue 6) ------------------------------------------------------------------------


class HandoverNote(Base):
    """A note written by an outgoing operator for the shift's handover."""

    __tablename__ = "handover_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shift_start: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    author: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)


class Handover(Base):
    """A signed-off shift handover: the compiled report, frozen, anchored to the audit."""

    __tablename__ = "handovers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shift_start: Mapped[datetime] = mapped_column(UTCDateTime(), unique=True)
    shift_end: Mapped[datetime] = mapped_column(UTCDateTime())
    compiled_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # the report as JSON, exactly as it was signed
    report: Mapped[str] = mapped_column(Text)
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    signed_by: Mapped[str] = mapped_column(String(64))
    # the latest audit entry at sign-off: an anchor outside the tail of the log
    audit_seq: Mapped[int] = mapped_column(Integer)
    audit_hash: Mapped[str] = mapped_column(String(64))


class CoveragePeriod(Base):
    """A period the desk was not monitored, with the reason and the risk accepted."""

    __tablename__ = "coverage_periods"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # no_one_on_shift, platform_outage, system_outage
    reason: Mapped[str] = mapped_column(String(32))
    platform: Mapped[str | None] = mapped_column(String(16), nullable=True)
    risk_accepted: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[str] = mapped_column(String(64))


class QualityReview(Base):
    """A case sampled for quality review, and the supervisor's checklist when reviewed."""

    __tablename__ = "quality_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM the sample was drawn for
    sampled_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sampled_by: Mapped[str] = mapped_column(String(64))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    reviewer: Mapped[str | None] = mapped_column(String(64), nullable=True)
    thrive_complete: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    grade_justified: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    right_template: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    target_met: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    comment: Mapped[str] = mapped_column(Text, default="", server_default="")


# --- subject access requests (issue 13) -----------------------------------------------------------


class SubjectAccessRequest(Base):
    """A subject access request: who asked, under which law, when due, and how it ended."""

    __tablename__ = "subject_access_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    requester: Mapped[str] = mapped_column(String(200))
    # who the data is about, as Desk knows them (platform:handle or author:ID), when given
    subject: Mapped[str] = mapped_column(String(300), default="", server_default="")
    # uk_gdpr, part3 (desk.core.subject_access.Regime)
    regime: Mapped[str] = mapped_column(String(16))
    # calendar days (UK local), ISO text: YYYY-MM-DD
    received_on: Mapped[str] = mapped_column(String(10), index=True)
    identity_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    identity_checked_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    identity_how: Mapped[str] = mapped_column(Text, default="", server_default="")
    extension_months: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    extension_notice: Mapped[str] = mapped_column(Text, default="", server_default="")
    paused_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    paused_since: Mapped[str | None] = mapped_column(String(10), nullable=True)
    pause_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # JSON list of {"ground", "note", "at", "by"} (desk.core.subject_access.Ground)
    restrictions: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")
    outcome: Mapped[str | None] = mapped_column(String(32), nullable=True)
    outcome_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(64))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    closed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)


# --- retention, legal holds, public appeals (issue 13) -----------------------------------


class LegalHold(Base):
    """A legal hold on a case or an author: no deletion touches it until it is lifted."""

    __tablename__ = "legal_holds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # case, author (desk.core.retention.HoldTarget)
    target: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    placed_by: Mapped[str] = mapped_column(String(64))
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    lifted_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    lift_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    __table_args__ = (Index("ix_legal_holds_target", "target", "target_id", "lifted_at"),)


class RetentionBatch(Base):
    """A batch of records due for deletion or anonymisation, approved by a supervisor."""

    __tablename__ = "retention_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    listed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # {"class": [ids...]}: what was approved (ids only, never content)
    contents: Mapped[str] = mapped_column(Text)
    # {"class": [ids...]}: what the approver held back from this batch
    held: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")
    # the rules in force when approved, as the setting writes them
    rules: Mapped[str] = mapped_column(Text)
    approved_by: Mapped[str] = mapped_column(String(64))
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ran_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    ran_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # {"class": count} of what the run removed
    outcome: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")


class PublicAppeal(Base):
    """A case (or one item of it) that is a public appeal, to be removed or archived at its end."""

    __tablename__ = "public_appeals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    marked_by: Mapped[str] = mapped_column(String(64))
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # removed, archived (desk.core.retention.AppealDone)
    done_how: Mapped[str | None] = mapped_column(String(16), nullable=True)
    done_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    __table_args__ = (Index("ix_public_appeals_due", "done_at", "ends_at"),)


# --- evidence: each imported record as received (issue 13) ----------------------------------------


class ItemOriginal(Base):
    """An imported record's bytes as received, with their SHA-256: what arrived.

    ``form`` is ``exact`` (the record's bytes as they are in the file) or, for rows stored
    before records were cut exactly, ``canonical-json`` (see desk.core.evidence). An import
    stores ``data`` raw (``compressed`` false); compaction later replaces it with its zlib
    stream. Goes with its item.
    """

    __tablename__ = "item_originals"

    item_id: Mapped[int] = mapped_column(
        ForeignKey("items.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    sha256: Mapped[str] = mapped_column(String(64))
    form: Mapped[str] = mapped_column(String(16))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    compressed: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")

    __table_args__ = (
        # only the rows still raw, for compaction to find (migration 0008)
        Index(
            "ix_item_originals_raw",
            "item_id",
            sqlite_where=text("compressed = 0"),
            postgresql_where=text("NOT compressed"),
        ),
    )


# --- erasure (issue 13) ---------------------------------------------------------------------------


class ErasureRedaction(Base):
    """A stored original or signed handover report rewritten by an erasure: hashes before/after.

    ``target`` is ``original`` (``target_id`` an item id) or ``handover`` (a handover id). The
    old hash explains a past evidence bundle or the report's signed digest; no content is kept.
    """

    __tablename__ = "erasure_redactions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(64))
    author_id: Mapped[int] = mapped_column(Integer)  # the erased author's former id
    request_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    target: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column(Integer)
    old_sha256: Mapped[str] = mapped_column(String(64))
    new_sha256: Mapped[str] = mapped_column(String(64))
    replaced: Mapped[int] = mapped_column(Integer)  # how many mentions were replaced

    __table_args__ = (Index("ix_erasure_redactions_target", "target", "target_id", "id"),)


# --- devices and leavers (issue 14) -----------------------------------------------------------


class LeaverReview(Base):
    """A leaver under investigation whose last 30 days of actions wait for a supervisor's review.

    Made when the person is disabled; ``reviewed_at``/``reviewed_by`` are set when a supervisor
    records the review done. The 30 days end at ``disabled_at``.
    """

    __tablename__ = "leaver_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    disabled_at: Mapped[datetime] = mapped_column(UTCDateTime())
    disabled_by: Mapped[str] = mapped_column(String(64))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    reviewed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="", server_default="")


# --- the official accounts register (issue 14) ----------------------------------------------


class AccountRequest(Base):
    """A request to open or close an official account, and communications' decision on it."""

    __tablename__ = "account_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # open, close (desk.core.account_register.RequestKind)
    kind: Mapped[str] = mapped_column(String(8))
    # the account closed, or the one opened once approved
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("official_accounts.id"), nullable=True, index=True
    )
    platform: Mapped[str] = mapped_column(String(16))
    handle: Mapped[str] = mapped_column(String(200))
    # JSON: the register entry asked for (opening) or what closing involves
    details: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")
    reason: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(64))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # pending, approved, refused (desk.core.account_register.RequestState)
    state: Mapped[str] = mapped_column(String(16), index=True)
    decided_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    decision_note: Mapped[str] = mapped_column(Text, default="", server_default="")


class AccountReview(Base):
    """One security review of an official account: the checklist's answers and what was found."""

    __tablename__ = "account_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("official_accounts.id"), index=True)
    reviewed_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reviewer: Mapped[str] = mapped_column(String(64))
    # JSON {check: pass|fail|na} (desk.core.account_register.ReviewCheck, CheckResult)
    results: Mapped[str] = mapped_column(Text)
    findings: Mapped[str] = mapped_column(Text, default="", server_default="")
    actions: Mapped[str] = mapped_column(Text, default="", server_default="")
    next_due_on: Mapped[date] = mapped_column(Date)


# --- impersonation watch (issue 14) ---------------------------------------------------------------


class SuspectAccount(Base):
    """A suspected fake account: evidence, when it was reported to its platform, the outcome.

    ``links`` and ``item_ids`` are JSON lists (evidence grows by appending); ``author_id`` and
    ``resembles_id`` carry no foreign key, so that erasing an author or its items never fails.
    ``outcome`` is ``pending`` until the platform answers: ``removed`` or ``not_removed``.
    """

    __tablename__ = "suspect_accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    handle: Mapped[str] = mapped_column(String(200))
    handle_key: Mapped[str] = mapped_column(String(200))  # casefolded, without "@"
    link: Mapped[str] = mapped_column(String(500), default="")
    author_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    resembles_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    links: Mapped[str] = mapped_column(Text, default="[]")
    item_ids: Mapped[str] = mapped_column(Text, default="[]")
    note: Mapped[str] = mapped_column(Text, default="")
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    added_by: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    report_reference: Mapped[str | None] = mapped_column(String(200), nullable=True)
    reported_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    outcome: Mapped[str] = mapped_column(String(16), default="pending")
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    outcome_by: Mapped[str | None] = mapped_column(String(64), nullable=True)

    __table_args__ = (UniqueConstraint("platform", "handle_key"),)


# --- third-party apps register (issue 14) ----------------------------------------------------


class ThirdPartyApp(Base):
    """An app with access to official accounts: why it is needed, who approved, its review.

    ``access`` is a JSON list (desk.core.third_party_apps.AppAccess); the accounts it reaches
    are in ``third_party_app_accounts``. A revoked app keeps its row with ``revoked_*`` set.
    """

    __tablename__ = "third_party_apps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    access: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")
    necessity: Mapped[str] = mapped_column(Text)
    approved_by: Mapped[str] = mapped_column(String(64))
    approved_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    review_due_on: Mapped[date] = mapped_column(Date)
    last_review_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    last_reviewed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    review_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    revoked_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    revoked_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    revoked_reason: Mapped[str] = mapped_column(Text, default="", server_default="")


class ThirdPartyAppAccount(Base):
    """One official account a third-party app reaches."""

    __tablename__ = "third_party_app_accounts"

    app_id: Mapped[int] = mapped_column(ForeignKey("third_party_apps.id"), primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("official_accounts.id"), primary_key=True, index=True
    )


class PlatformOutage(Base):
    """An outage of a platform or of Desk itself, and what the desk did (desk.core.outages)."""

    __tablename__ = "platform_outages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # a desk.core.items.Platform value, or "desk" for Desk itself
    platform: Mapped[str] = mapped_column(String(16))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # what the desk did meanwhile (for Desk itself: what was done on paper)
    actions: Mapped[str] = mapped_column(Text, default="", server_default="")
    paper_cases: Mapped[int | None] = mapped_column(Integer, nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    after_the_fact: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    ended_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
