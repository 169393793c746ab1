"""Run by test_autosave: opens the app on a workspace, types into an indicator, then waits to be killed.

Usage: python typing_app.py WORKSPACE CODE TEXT
Prints "typed" once the keystrokes are in and AUTOSAVE has had time to fire; then keeps the event
loop running (no close, no flush) until the test kills the process with SIGKILL.
"""

import sys

from PySide6.QtCore import QTimer


def main() -> None:
    path, code, text = sys.argv[1:4]
    from schoolvault.ui.app import make_app
    from schoolvault.ui.mainwindow import MainWindow
    app = make_app()
    w = MainWindow(path)
    w.show()
    page = w.show_page("selfeval")

    def wait_form() -> None:
        if page.detail is None or page.detail["code"] != code or not page.form.isEnabled():
            if page.code != code and page.loaded:
                page.select(code)
            QTimer.singleShot(50, wait_form)
            return
        box = page.texts["achievements"]
        box.setFocus()
        box.moveCursor(box.textCursor().MoveOperation.End)
        from PySide6.QtCore import QEvent, Qt
        from PySide6.QtGui import QKeyEvent
        for ch in text:
            for kind in (QEvent.KeyPress, QEvent.KeyRelease):
                app.sendEvent(box, QKeyEvent(kind, Qt.Key_unknown, Qt.NoModifier, ch))
        QTimer.singleShot(1900, lambda: print("typed", flush=True))

    QTimer.singleShot(50, wait_form)
    app.exec()


if __name__ == "__main__":
    main()
