"""The login window, a cold start's first, is made without Qt's costliest lazy parts."""

from __future__ import annotations

from tests.gui.test_startup_probe import run_script


def test_showing_the_login_window_makes_neither_the_qt_namespace_nor_a_message_box() -> None:
    # PySide6 makes a class (and all its enums) on first import: the Qt namespace alone costs
    # ~15 ms, a tenth of a bare window's start (docs/performance.md, cold start)
    script = (
        "import sys\n"
        "from PySide6 import QtCore, QtWidgets\n"
        "from desk.gui.login_dialog import LoginDialog\n"
        "from desk.gui.theme import apply_theme\n"
        "from desk.gui.workers import Worker\n"
        "app = QtWidgets.QApplication(sys.argv[:1])\n"
        "apply_theme(app)\n"
        "dialog = LoginDialog(None, Worker(app), profile_name='p')\n"
        "dialog.show()\n"
        "QtCore.QTimer.singleShot(100, app.quit)\n"
        "app.exec()\n"
        "made = [n for n in ('Qt', 'QMessageBox') if n in vars(QtCore) | vars(QtWidgets)\n"
        "        and (vars(QtCore) | vars(QtWidgets))[n] is not None]\n"
        "print(made)\n"
    )
    done = run_script(script, probe=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"
