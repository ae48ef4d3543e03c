"""The one object the GUI and the command line hold: an open profile and its services."""

from __future__ import annotations

from desk.core.clock import Clock
from desk.core.risk import RuleSet
from desk.paths import Profile
from desk.services.account_export import AccountExportService
from desk.services.account_requests import AccountRequestService
from desk.services.account_reviews import AccountReviewService
from desk.services.accounts import AccountService
from desk.services.areas import AreaService
from desk.services.audit import AuditService
from desk.services.author_export import AuthorExportService
from desk.services.backup import BackupService
from desk.services.cases import CaseService
from desk.services.context import DeskContext, open_desk
from desk.services.continuity import ContinuityService
from desk.services.coverage import CoverageService
from desk.services.csv_mappings import CsvMappingService
from desk.services.dashboard import DashboardService
from desk.services.devices import DeviceService
from desk.services.drop_folder import DropFolderService
from desk.services.erasure import ErasureService
from desk.services.escalations import EscalationService
from desk.services.evidence import EvidenceService
from desk.services.guidelines import GuidelineService
from desk.services.handover import HandoverService
from desk.services.impersonation import ImpersonationService
from desk.services.importing import ImportService
from desk.services.leavers import LeaverService
from desk.services.live import LiveService
from desk.services.moderation import ModerationService
from desk.services.official_accounts import OfficialAccountService
from desk.services.outages import OutageService
from desk.services.people import PeopleService
from desk.services.quality import QualityService
from desk.services.queue import QueueService
from desk.services.replies import ReplyService
from desk.services.retention import RetentionService
from desk.services.rules import RulesService, load_profile_rules
from desk.services.settings import SettingsService
from desk.services.signin import SignInService
from desk.services.subject_access import SubjectAccessService
from desk.services.surges import SurgeService
from desk.services.templates import TemplateService
from desk.services.third_party_apps import ThirdPartyAppService
from desk.store.db import Database


class Desk:
    """An open Desk profile with its use cases."""

    def __init__(self, ctx: DeskContext, rules: RuleSet) -> None:
        self.ctx = ctx
        self.rules = rules
        self.signin = SignInService(ctx)
        self.accounts = AccountService(ctx, self.signin)
        self.people = PeopleService(ctx, self.signin)
        self.areas = AreaService(ctx, self.signin)  # the areas (neighbourhoods) people work
        self.devices = DeviceService(ctx, self.signin)  # sessions: list, sign out a device
        self.leavers = LeaverService(ctx, self.signin)  # the leaver review
        self.audit = AuditService(ctx, self.signin)
        self.settings = SettingsService(ctx, self.signin)
        self.backup = BackupService(ctx, self.signin)  # backups, scheduled and by hand
        self.official_accounts = OfficialAccountService(ctx, self.signin)
        self.impersonation = ImpersonationService(ctx, self.signin)
        self.account_requests = AccountRequestService(ctx, self.signin)
        self.account_reviews = AccountReviewService(ctx, self.signin)
        self.account_export = AccountExportService(ctx, self.signin)
        self.third_party_apps = ThirdPartyAppService(ctx, self.signin)  # apps register
        self.cases = CaseService(ctx, self.signin)
        self.queue = QueueService(ctx, self.signin)
        self.live = LiveService(ctx, self.signin)  # what other workstations changed
        self.importer = ImportService(ctx, self.signin, rules)
        self.csv_mappings = CsvMappingService(ctx, self.signin)  # saved CSV column mappings
        self.surges = SurgeService(ctx, self.signin, self.cases)
        self.drop_folder = DropFolderService(ctx, self.signin, self.importer)
        self.handover = HandoverService(ctx, self.signin)
        self.coverage = CoverageService(ctx, self.signin)
        self.outages = OutageService(ctx, self.signin)  # the platform and Desk outage log
        self.continuity = ContinuityService(ctx, self.signin)  # the pack for working on paper
        self.escalations = EscalationService(ctx, self.signin)
        self.templates = TemplateService(ctx, self.signin)
        self.replies = ReplyService(ctx, self.signin, self.templates)
        self.guidelines = GuidelineService(ctx, self.signin)
        self.moderation = ModerationService(ctx, self.signin)
        self.evidence = EvidenceService(
            ctx, self.signin, self.queue, self.escalations, self.replies, self.moderation
        )
        self.dashboard = DashboardService(ctx, self.signin)
        self.quality = QualityService(ctx, self.signin)
        self.risk_rules = RulesService(ctx, self.signin, rules)
        self.retention = RetentionService(ctx, self.signin)
        self.subject_access = SubjectAccessService(ctx, self.signin)
        self.author_export = AuthorExportService(ctx, self.signin)
        self.erasure = ErasureService(ctx, self.signin)

    @classmethod
    def open(cls, profile: Profile, clock: Clock | None = None, db: Database | None = None) -> Desk:
        """Open ``profile``: rules validated, keyring and database checked, schema migrated."""
        rules = load_profile_rules(profile)
        return cls(open_desk(profile, clock, db), rules)

    @property
    def profile(self) -> Profile:
        """The open profile."""
        return self.ctx.profile

    def close(self) -> None:
        """Release the profile's resources."""
        self.ctx.close()
