"""Dialogs of the main window, and the pieces they share."""

from PySide6.QtWidgets import QDialogButtonBox, QLabel


def add_error_and_buttons(dialog, layout, ok_text: str, cancel_text: str = "취소"):
    """The red error line and the OK/Cancel row every form dialog ends with; returns (error, buttons)."""
    error = QLabel("")
    error.setStyleSheet("color:#b00020;")
    error.setWordWrap(True)
    layout.addWidget(error)
    buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    buttons.button(QDialogButtonBox.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.Cancel).setText(cancel_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    return error, buttons
