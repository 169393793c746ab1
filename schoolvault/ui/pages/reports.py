"""보고서 page (in progress)."""

from PySide6.QtWidgets import QVBoxLayout

from .base import Page, heading


class ReportsPage(Page):
    title = "보고서"

    def __init__(self, main):
        super().__init__(main)
        QVBoxLayout(self).addWidget(heading("보고서"))

    def refresh(self) -> None:
        self.loaded = True
