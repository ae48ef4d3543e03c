"""The force's own risk rules: measured on labelled messages before they are put to use.

An administrator writes or changes rule files in the profile's drafts folder
(``config/rules/``); Desk uses only the files in the profile's rules-in-use folder
(``rules/`` beside the database). ``test`` measures the drafts on the corpus Desk ships and on
any labelled file the force keeps (its own misses, from ``export-feedback``); ``apply``
measures them the same way and puts them in use only if no category finds less and no more
ordinary messages are flagged than with the rules in use, unless the administrator gives a
reason, which the audit keeps.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlalchemy import func, select

from desk.core.errors import InvalidInput
from desk.core.marking import MARKING_FIELD
from desk.core.risk import RiskCategory, RuleSet, load_rules, rule_files
from desk.core.risk_eval import Labelled, Measurement, measure, read_labelled
from desk.core.risk_model import RiskModel
from desk.core.roles import Action
from desk.core.thrive import parse_risk_seen
from desk.paths import FILE_MODE, Profile
from desk.resources import resource_path
from desk.services.context import DeskContext
from desk.services.settings import protective_marking
from desk.services.signin import SignInService
from desk.store.tables import Case, Item, ThriveRecord

__all__ = [
    "RulesReport",
    "RulesService",
    "draft_folder",
    "in_use_folder",
    "load_profile_rules",
    "shipped_corpus",
    "shipped_model",
]


def draft_folder(profile: Profile) -> Path:
    """Return where an administrator writes the profile's own rule files (drafts)."""
    return profile.config_dir / "rules"


def in_use_folder(profile: Profile) -> Path:
    """Return the folder of the profile's own rule files that Desk uses (put there by apply)."""
    return profile.data_dir / "rules"


def shipped_corpus() -> list[Labelled]:
    """Return the labelled messages Desk ships to measure rules with (all of them)."""
    folder = resource_path("risk_corpus")
    paths = sorted(folder.glob("*.jsonl")) + sorted((folder / "holdout").glob("*.jsonl"))
    return [m for path in paths for m in read_labelled(path)]


def local_rule_files(profile: Profile) -> list[Path]:
    """Return the profile's own rule files in use.

    A profile that has never applied its drafts (one made before rules were measured) keeps
    using its drafts folder, so that upgrading Desk never silently drops a force's rules.
    """
    in_use = in_use_folder(profile)
    if in_use.is_dir():
        return rule_files(in_use)
    drafts = draft_folder(profile)
    return rule_files(drafts) if drafts.is_dir() else []


@cache
def shipped_model() -> RiskModel:
    """Load the statistical model Desk ships to flag what the rules miss."""
    return RiskModel.load(resource_path("risk_model", "model.json"))


def load_profile_rules(profile: Profile) -> RuleSet:
    """Load the shipped rules, the profile's own in use, and the model that flags beside them."""
    rules = load_rules(rule_files(resource_path("rules")) + local_rule_files(profile))
    return rules.with_model(shipped_model())


@dataclass(frozen=True)
class RulesReport:
    """The drafts and the rules in use, measured on the same messages."""

    drafts: Measurement
    in_use: Measurement
    worse: tuple[str, ...]  # where the drafts do worse, one line each
    files: tuple[str, ...]  # the draft files measured
    applied: bool = False


class RulesService:
    """Measures the profile's draft rules and puts them in use."""

    def __init__(self, ctx: DeskContext, signin: SignInService, in_use: RuleSet) -> None:
        self.ctx = ctx
        self.signin = signin
        self.in_use = in_use

    def drafts(self) -> RuleSet:
        """Load the shipped rules with the profile's drafts.

        Raises:
            InvalidInput: a draft file is broken; the message names the file and the rule.
        """
        folder = draft_folder(self.ctx.profile)
        drafts = rule_files(folder) if folder.is_dir() else []
        return load_rules(rule_files(resource_path("rules")) + drafts).with_model(self.in_use.model)

    def test(self, token: str, labelled: Path | None = None) -> RulesReport:
        """Measure the drafts and the rules in use on the shipped corpus and ``labelled``."""
        self.signin.authorize(token, Action.VIEW_QUEUE)
        return self._report(self._messages(labelled))

    def apply(self, token: str, labelled: Path | None = None, reason: str = "") -> RulesReport:
        """Put the drafts in use once measured; audited.

        Raises:
            InvalidInput: a draft is broken, or the drafts find less in some category or flag
                more ordinary messages than the rules in use and no reason was given.
        """
        actor = self.signin.authorize(token, Action.CHANGE_SETTINGS)
        report = self._report(self._messages(labelled))
        if report.worse and not reason.strip():
            raise InvalidInput(
                "The draft rules do worse than the rules in use: "
                + "; ".join(report.worse)
                + ". Fix them, or apply them with a reason (--reason) if that is intended."
            )
        source = draft_folder(self.ctx.profile)
        target = in_use_folder(self.ctx.profile)
        with self.ctx.db.write() as s:
            self.ctx.audit.record(
                s,
                actor.username,
                "rules.apply",
                "rules",
                files=_fingerprints(source),
                recall=report.drafts.overall.recall,
                ordinary_flagged=report.drafts.false_positive_rate,
                worse=list(report.worse),
                reason=reason.strip(),
            )
            _replace_folder(source, target)  # inside the unit of work: a failure records nothing
        return RulesReport(report.drafts, report.in_use, report.worse, report.files, True)

    def feedback(self, token: str, misses_only: bool = False) -> list[dict[str, object]]:
        """Return the operators' own risk judgements as labelled messages; audited.

        Each case whose latest THRIVE assessment says what risk the operator saw gives one
        line: the text of the item that opened it, the categories the operator saw, and those
        the rules matched. With ``misses_only``, only cases where the two differ. Every line
        carries the force's protective marking (``protective_marking``) as its first field, so
        that a line read alone is still marked.
        """
        actor = self.signin.authorize(token, Action.CHANGE_SETTINGS)
        marking = protective_marking(self.ctx)
        lines: list[dict[str, object]] = []
        with self.ctx.db.write() as s:
            latest = (
                select(ThriveRecord.case_id, func.max(ThriveRecord.version).label("version"))
                .group_by(ThriveRecord.case_id)
                .subquery()
            )
            judged = s.execute(
                select(ThriveRecord, Case)
                .join(
                    latest,
                    (latest.c.case_id == ThriveRecord.case_id)
                    & (latest.c.version == ThriveRecord.version),
                )
                .join(Case, Case.id == ThriveRecord.case_id)
                .where(ThriveRecord.risk_seen != "")
                .order_by(Case.id)
            ).all()
            for record, case in judged:
                item = s.scalars(
                    select(Item).where(Item.case_id == case.id).order_by(Item.id).limit(1)
                ).first()
                if item is None or not item.text.strip():
                    continue
                seen = parse_risk_seen(record.risk_seen) or ()
                rules = tuple(c for c in case.risk.split(",") if c)
                if misses_only and set(seen) == set(rules):
                    continue
                lines.append(
                    {
                        MARKING_FIELD: marking,
                        "id": f"case-{case.id}",
                        "text": item.text,
                        "categories": list(seen),
                        "rules": list(rules),
                        "grade": record.grade,
                        "lang": item.language or "",
                    }
                )
            self.ctx.audit.record(
                s,
                actor.username,
                "rules.export_feedback",
                "rules",
                cases=len(lines),
                misses_only=misses_only,
                marking=marking,
            )
        return lines

    def _messages(self, labelled: Path | None) -> list[Labelled]:
        messages = shipped_corpus()
        if labelled is not None:
            messages += read_labelled(labelled)
        return messages

    def _report(self, messages: list[Labelled]) -> RulesReport:
        drafts = measure(self.drafts(), messages)
        in_use = measure(self.in_use, messages)
        folder = draft_folder(self.ctx.profile)
        files = tuple(p.name for p in rule_files(folder)) if folder.is_dir() else ()
        return RulesReport(drafts, in_use, tuple(_worse(drafts, in_use)), files)


def _worse(drafts: Measurement, in_use: Measurement) -> list[str]:
    lines = []
    for category in RiskCategory:
        now, then = drafts.categories[category], in_use.categories[category]
        if now.found < then.found:
            lines.append(f"{category.value} finds {now.found} of {now.labelled} (now {then.found})")
    if drafts.ordinary_flagged > in_use.ordinary_flagged:
        lines.append(
            f"{drafts.ordinary_flagged} of {drafts.ordinary} ordinary messages flagged "
            f"(now {in_use.ordinary_flagged})"
        )
    return lines


def _fingerprints(folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        return {}
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()[:16] for p in rule_files(folder)}


def _replace_folder(source: Path, target: Path) -> None:
    """Make ``target`` hold exactly the rule files of ``source``, swapped in at once."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".rules-", dir=target.parent))
    for path in rule_files(source) if source.is_dir() else []:
        shutil.copy2(path, staging / path.name)
        os.chmod(staging / path.name, FILE_MODE)  # copy2 copies the draft's mode: owner-only
    old = target.with_name(target.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    if old.exists():
        shutil.rmtree(old)


def summary(report: RulesReport) -> dict[str, object]:
    """The report as JSON for ``desk-admin rules ... --json``."""
    return {
        "drafts": report.drafts.to_json(),
        "in_use": report.in_use.to_json(),
        "worse": list(report.worse),
        "files": list(report.files),
        "applied": report.applied,
    }
