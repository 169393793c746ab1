"""What every page shares: a link to the main window, change flags it cares about, lazy refresh."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from ..session import ALL


class Page(QWidget):
    """A navigation page. Subclasses set `title`, `concerns` and implement `refresh()`."""

    title = ""
    concerns: frozenset = ALL

    def __init__(self, main):
        super().__init__()
        self.main = main
        self.session = main.session
        self._dirty = True
        self.loaded = False  # True once data from the workspace has been shown (tests wait on it)

    def on_changed(self, flags: frozenset) -> None:
        if flags & self.concerns:
            self._dirty = True
            if self.isVisible():
                self.activate()

    def activate(self) -> None:
        if self._dirty:
            self._dirty = False
            self.refresh()

    def refresh(self) -> None:
        raise NotImplementedError

    def changed(self, *flags: str) -> None:
        self.main.notify_changed(frozenset(flags))

    def leave(self) -> None:
        """Called before another page is shown (pages with pending edits flush them)."""


def heading(text: str, size: int = 16) -> QLabel:
    label = QLabel(text)
    f = label.font()
    f.setPointSizeF(size)
    f.setBold(True)
    label.setFont(f)
    label.setWordWrap(True)
    return label


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setObjectName("hint")
    return label
