"""평가 계획 page (in progress)."""

from PySide6.QtWidgets import QVBoxLayout

from .base import Page, heading


class PlanPage(Page):
    title = "평가 계획"

    def __init__(self, main):
        super().__init__(main)
        QVBoxLayout(self).addWidget(heading("평가 계획"))

    def refresh(self) -> None:
        self.loaded = True
