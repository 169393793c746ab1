"""설문 page (in progress)."""

from PySide6.QtWidgets import QVBoxLayout

from .base import Page, heading


class SurveysPage(Page):
    title = "설문"

    def __init__(self, main):
        super().__init__(main)
        QVBoxLayout(self).addWidget(heading("설문"))

    def refresh(self) -> None:
        self.loaded = True
