"""결과 page (in progress)."""

from PySide6.QtWidgets import QVBoxLayout

from .base import Page, heading


class ResultsPage(Page):
    title = "결과"

    def __init__(self, main):
        super().__init__(main)
        QVBoxLayout(self).addWidget(heading("결과"))

    def refresh(self) -> None:
        self.loaded = True
