"""Errors as readable dialogs: SchoolVaultError in plain Korean, anything else with details and a log."""

from __future__ import annotations

import logging
import sys
import traceback

from PySide6.QtWidgets import QMessageBox, QWidget

from ..errors import STORAGE_ERRNOS, Cancelled, SchoolVaultError, storage_error

log = logging.getLogger(__name__)

# The last dialog shown; tests read it, and it keeps the non-blocking box alive. Back to None when that
# dialog is destroyed (with its window), so it never names a deleted dialog.
last_box: QMessageBox | None = None
_shown = 0  # how many boxes were remembered: a destroyed box forgets itself only if still the last one


def _remember(box: QMessageBox) -> None:
    global last_box, _shown
    _shown += 1
    mine = _shown

    def forget(*_args) -> None:  # holds no reference to the box: an unparented one can still be freed
        global last_box
        if _shown == mine:
            last_box = None

    box.destroyed.connect(forget)
    last_box = box


def known(exc: BaseException) -> BaseException:
    """A full disk, a read-only folder or an over-long path as the Korean error it is (not a bug dialog)."""
    if isinstance(exc, OSError) and exc.errno in STORAGE_ERRNOS:
        return storage_error(exc, exc.filename)
    return exc


def error_text(exc: BaseException) -> tuple[str, str]:
    """(main text, informative text) for a dialog."""
    exc = known(exc)
    if isinstance(exc, SchoolVaultError):
        info = []
        if exc.where:
            info.append(f"위치: {exc.where}")
        if exc.hint:
            info.append(f"이렇게 해 보세요: {exc.hint}")
        return exc.message, "\n".join(info)
    return ("예상하지 못한 오류가 생겼습니다. 작업 내용은 저장되어 있습니다.",
            "아래 '자세히 보기'의 내용을 담당자에게 전해 주세요.")


def show_error(parent: QWidget | None, exc: BaseException, tb: str | None = None, *, modal: bool = False) -> None:
    """Show `exc`; Cancelled shows nothing. Non-SchoolVault errors are logged as bugs."""
    if isinstance(exc, Cancelled):
        return
    exc = known(exc)
    text, info = error_text(exc)
    box = QMessageBox(parent)
    box.setWindowTitle("SchoolVault")
    box.setText(text)
    if info:
        box.setInformativeText(info)
    if isinstance(exc, SchoolVaultError):
        box.setIcon(QMessageBox.Warning)
    else:
        box.setIcon(QMessageBox.Critical)
        details = tb or "".join(traceback.format_exception(exc))
        box.setDetailedText(details)
        log.error("unexpected error: %s", details)
    box.setStandardButtons(QMessageBox.Ok)
    _remember(box)
    if modal:
        box.exec()
    else:
        box.open()


def install_excepthook() -> None:
    """Uncaught exceptions in slots become dialogs instead of tracebacks on a console nobody sees."""
    def hook(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        show_error(None, exc, "".join(traceback.format_exception(exc_type, exc, tb)))

    sys.excepthook = hook


def show_info(parent: QWidget | None, title: str, text: str) -> QMessageBox:
    """A short non-blocking notice; returns the box (kept alive in last_box)."""
    box = QMessageBox(QMessageBox.Information, title, text, QMessageBox.Ok, parent)
    _remember(box)
    box.open()
    return box
