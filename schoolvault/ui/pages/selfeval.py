"""자체평가 page (in progress)."""

from PySide6.QtWidgets import QVBoxLayout

from .base import Page, heading


class SelfEvalPage(Page):
    title = "자체평가"

    def __init__(self, main):
        super().__init__(main)
        QVBoxLayout(self).addWidget(heading("자체평가"))

    def refresh(self) -> None:
        self.loaded = True
