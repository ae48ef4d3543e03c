"""The first-run wizard's "Join a shared desk": the switch, the fields, refusals, joining (#16)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWizard
from pytestqt.qtbot import QtBot

from desk.core.errors import Conflict
from desk.gui import app as app_module
from desk.gui.controller import DeskController
from desk.gui.setup_wizard import SetupWizard
from desk.paths import Profile
from desk.services import shared_desk
from desk.services.desk import Desk
from tests.conftest import ADMIN_PASSWORD
from tests.gui.conftest import type_into

URL = "postgresql+psycopg://desk@db.force.example/desk"


class FakeJoin:
    """Stands in for shared_desk.join: records the call, refuses while told to."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, bytes, str]] = []
        self.refusal: Exception | None = None

    def __call__(self, url: str, password: str, data: bytes, passphrase: str) -> str:
        self.calls.append((url, password, data, passphrase))
        if self.refusal is not None:
            raise self.refusal
        return url


def _wizard(qtbot: QtBot, desk: Desk, join: object) -> SetupWizard:
    wizard = SetupWizard(desk.accounts)
    wizard.offer_join(join)  # type: ignore[arg-type]
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def _click(qtbot: QtBot, wizard: SetupWizard, which: QWizard.WizardButton) -> None:
    qtbot.mouseClick(wizard.button(which), Qt.MouseButton.LeftButton)


def test_join_a_shared_desk_from_the_first_page(qtbot: QtBot, desk: Desk, tmp_path: Path) -> None:
    join = FakeJoin()
    wizard = _wizard(qtbot, desk, join)
    switch = wizard.button(QWizard.WizardButton.CustomButton1)
    assert switch.isVisible() and "Join a shared desk" in switch.text()
    _click(qtbot, wizard, QWizard.WizardButton.CustomButton1)
    assert wizard.currentPage() is wizard.join_page
    assert "new desk" in switch.text()
    page = wizard.join_page
    assert page is not None
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert finish.text() == "&Join" and not finish.isEnabled()

    key_file = tmp_path / "desk.keys"
    type_into(qtbot, page.ui.urlEdit, URL)
    type_into(qtbot, page.ui.passwordEdit, "db password")
    type_into(qtbot, page.ui.keyFileEdit, str(key_file))
    type_into(qtbot, page.ui.passphraseEdit, "the passphrase told apart")
    assert finish.isEnabled()
    _click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    assert "cannot read the key file" in page.ui.messageLabel.text()
    assert wizard.isVisible() and not join.calls

    key_file.write_bytes(b"sealed keys")
    join.refusal = Conflict("That key file belongs to another desk.")
    _click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    assert page.ui.messageLabel.text() == "That key file belongs to another desk."
    assert page.ui.passphraseEdit.text() == "" and wizard.isVisible()

    join.refusal = None
    type_into(qtbot, page.ui.passphraseEdit, "the passphrase told apart")
    with qtbot.waitSignal(wizard.joined) as joined:
        _click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    assert joined.args == [URL]
    assert join.calls[-1] == (URL, "db password", b"sealed keys", "the passphrase told apart")
    assert not wizard.isVisible()
    assert desk.accounts.first_run_needed()  # no account was made on the local file


def test_the_switch_leads_back_to_a_new_desk(qtbot: QtBot, desk: Desk) -> None:
    wizard = _wizard(qtbot, desk, FakeJoin())
    _click(qtbot, wizard, QWizard.WizardButton.CustomButton1)
    _click(qtbot, wizard, QWizard.WizardButton.CustomButton1)
    assert wizard.currentPage() is wizard.account_page
    type_into(qtbot, wizard.account_page.ui.passwordEdit, ADMIN_PASSWORD)
    type_into(qtbot, wizard.account_page.ui.confirmEdit, ADMIN_PASSWORD)
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentPage() is wizard.enrolment_page
    assert not wizard.button(QWizard.WizardButton.CustomButton1).isVisible()


def test_without_the_offer_there_is_no_switch(qtbot: QtBot, desk: Desk) -> None:
    wizard = SetupWizard(desk.accounts)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    assert not wizard.button(QWizard.WizardButton.CustomButton1).isVisible()


def test_the_real_join_names_an_unreachable_server_and_saves_nothing(
    qtbot: QtBot, desk: Desk, profile: Profile, tmp_path: Path
) -> None:
    def join(url: str, password: str, data: bytes, passphrase: str) -> str:
        return shared_desk.join(profile, url, password, data, passphrase).server

    wizard = _wizard(qtbot, desk, join)
    _click(qtbot, wizard, QWizard.WizardButton.CustomButton1)
    page = wizard.join_page
    assert page is not None
    key_file = tmp_path / "desk.keys"
    key_file.write_text('{"format": "desk-keys/1"}')
    type_into(qtbot, page.ui.urlEdit, "postgresql+psycopg://desk:pw@127.0.0.1:1/desk")
    type_into(qtbot, page.ui.keyFileEdit, str(key_file))
    type_into(qtbot, page.ui.passphraseEdit, "a long passphrase")
    _click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    assert "set-password" in page.ui.messageLabel.text()  # a URL with a password in it
    type_into(qtbot, page.ui.urlEdit, "postgresql+psycopg://desk@127.0.0.1:1/desk")
    type_into(qtbot, page.ui.passphraseEdit, "a long passphrase")
    _click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    assert "not a Desk key file" in page.ui.messageLabel.text()
    assert not (profile.config_dir / "database.json").exists()
    assert wizard.isVisible()


def test_desk_joined_in_the_wizard_closes_the_local_desk_and_opens_again(
    tmp_path: Path,
    memory_keyring: object,
    monkeypatch: pytest.MonkeyPatch,
    qapp: QApplication,
) -> None:
    started: list[DeskController] = []
    original_start = DeskController.start
    key_file = tmp_path / "desk.keys"
    key_file.write_bytes(b"sealed")
    calls: list[str] = []

    def fake_join(profile, url, password, data, passphrase):  # type: ignore[no-untyped-def]
        calls.append(url)
        return shared_desk.KeysImported("desk", True, url)

    monkeypatch.setattr(shared_desk, "join", fake_join)

    def start(self: DeskController, login=None) -> None:  # type: ignore[no-untyped-def]
        original_start(self, login)
        started.append(self)
        if len(started) == 2:  # opened again after the join
            qapp.exit(0)
            return
        wizard = self.wizard
        assert wizard is not None

        def join_now() -> None:
            wizard.button(QWizard.WizardButton.CustomButton1).click()
            page = wizard.join_page
            assert page is not None
            page.ui.urlEdit.setText(URL)
            page.ui.keyFileEdit.setText(str(key_file))
            page.ui.passphraseEdit.setText("a long passphrase")
            wizard.button(QWizard.WizardButton.FinishButton).click()

        QTimer.singleShot(0, join_now)

    monkeypatch.setattr(DeskController, "start", start)
    root = logging.getLogger()
    root_handlers = list(root.handlers)
    try:
        assert app_module.main(["--data-dir", str(tmp_path / "p")]) == 0
    finally:
        for handler in [h for h in root.handlers if h not in root_handlers]:
            root.removeHandler(handler)
            handler.close()
        qapp.setStyleSheet("")
        qapp.setQuitOnLastWindowClosed(True)
    assert calls == [URL]
    assert len(started) == 2
    assert started[0].desk is not started[1].desk
    assert started[0].wizard is not None and not started[0].wizard.isVisible()


def test_desk_refuses_a_database_url_with_a_password_without_repeating_it(
    tmp_path: Path,
    memory_keyring: object,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    qapp: QApplication,
) -> None:
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: shown.append(text))
    root = logging.getLogger()
    root_handlers = list(root.handlers)
    url = "postgresql+psycopg://desk:hunter2-secret@db.example/desk"
    try:
        status = app_module.main(["--data-dir", str(tmp_path / "p"), "--database-url", url])
    finally:
        for handler in [h for h in root.handlers if h not in root_handlers]:
            root.removeHandler(handler)
            handler.close()
        qapp.setStyleSheet("")
        qapp.setQuitOnLastWindowClosed(True)
    assert status == 2
    err = capsys.readouterr().err
    assert "desk-admin database set-password" in err and shown and "set-password" in shown[0]
    assert "hunter2-secret" not in err + shown[0]
    logs = "".join(p.read_text() for p in (tmp_path / "p" / "logs").rglob("*") if p.is_file())
    assert "hunter2-secret" not in logs


def test_a_demo_profile_never_opens_the_server_the_environment_names(
    tmp_path: Path, memory_keyring: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desk.services import demo

    monkeypatch.setenv("DESK_DATABASE_URL", "postgresql+psycopg://desk@127.0.0.1:1/desk")
    profile = demo.make_demo_profile(tmp_path)
    opened: list[app_module._Opened] = []
    result = app_module._open_profile(profile, True, opened)
    try:
        assert result.desk.ctx.db.is_sqlite and profile.db_path.is_file()
    finally:
        demo.discard(result.desk)


@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_the_join_page_shows_all_its_text_at_normal_and_double_text_size(
    qtbot: QtBot, desk: Desk, qapp: QApplication, scale: float
) -> None:
    from tests.gui.layout_check import clipped, too_big

    font = qapp.font()
    bigger = qapp.font()
    bigger.setPointSizeF(font.pointSizeF() * scale)
    qapp.setFont(bigger)
    try:
        join = FakeJoin()
        join.refusal = Conflict("That key file belongs to another desk, not the one on " + URL)
        wizard = _wizard(qtbot, desk, join)
        _click(qtbot, wizard, QWizard.WizardButton.CustomButton1)
        page = wizard.join_page
        assert page is not None
        shown = page.ui.introLabel.fontInfo().pointSizeF()
        assert shown >= font.pointSizeF() * scale - 1  # the text really is that size
        page.ui.urlEdit.setText(URL)
        page.ui.keyFileEdit.setText(__file__)
        page.ui.passphraseEdit.setText("a long passphrase")
        _click(qtbot, wizard, QWizard.WizardButton.FinishButton)
        assert page.ui.messageLabel.isVisible()
        qtbot.wait(50)
        assert clipped(wizard) == []
        assert too_big(wizard, 1280, 800) == []
    finally:
        qapp.setFont(font)
