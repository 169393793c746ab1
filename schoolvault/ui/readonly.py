"""One read-only mechanism for every page.

A page marks the widgets that write to the workspace with `editable(widget, …)`; the main window
decides whether the window is read-only (another SchoolVault holds the file, or a past year not
unlocked) and calls `apply(root, reason, held=…)` on every page and extra window. Marked widgets are
disabled with the reason as their tooltip, and stay disabled when a page re-enables them later (a
row rebuilt, a button re-enabled after a job): an event filter disables them again.

An item view marked editable (the plan's indicator tree, the comment picker's list) stays usable for
reading: only its ticks are refused (a delegate swallows the click or Space that would toggle one).

Kinds: `WRITE` (disabled whenever the window is read-only) and `HELD` (disabled only when another
SchoolVault holds the file; e.g. the year selector, which must stay usable to leave a past year).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QStyledItemDelegate, QWidget

PROPERTY = "sv_editable"
WRITE, HELD = "write", "held"
_TIP = "sv_tooltip"  # the widget's own tooltip, restored when unlocked

HELD_REASON = "다른 SchoolVault 창(또는 컴퓨터)이 이 작업 파일을 쓰고 있어 읽기 전용입니다."


def past_year_reason(year: int, latest: int) -> str:
    return (f"지난 학년도({year}학년도)는 읽기 전용으로 엽니다. 고치려면 위쪽 띠의 "
            f"'지난 학년도 고치기'를 누르세요. 지금 학년도는 {latest}학년도입니다.")


def editable(*widgets: QWidget, kind: str = WRITE) -> None:
    """Mark widgets that change the workspace (text fields, ticks, buttons that write)."""
    for w in widgets:
        w.setProperty(PROPERTY, kind)
        if isinstance(w, QAbstractItemView) and type(w.itemDelegate()) is QStyledItemDelegate:
            w.setItemDelegate(_TickGuard(w))
        # a widget created after apply() (a rebuilt row) is locked when it first shows
        w.installEventFilter(_guard())


def marked(root: QWidget) -> list[QWidget]:
    out = [root] if root.property(PROPERTY) else []
    return out + [w for w in root.findChildren(QWidget) if w.property(PROPERTY)]


def _locks(w: QWidget) -> str | None:
    """The reason `w` is locked now: the nearest window's state (set by apply)."""
    win = w.window()
    reason, held = win.property("sv_readonly_reason"), win.property("sv_readonly_held")
    if not reason:
        return None
    return reason if (held or w.property(PROPERTY) != HELD) else None


def _reads_only(w: QWidget) -> bool:
    """An item view whose ticks the delegate refuses: it stays enabled (scrolling, choosing, reading)."""
    return isinstance(w, QAbstractItemView) and isinstance(w.itemDelegate(), _TickGuard)


def _lock(w: QWidget, reason: str | None) -> None:
    if reason:
        if not _reads_only(w):
            w.setEnabled(False)
        if w.property(_TIP) is None:
            w.setProperty(_TIP, w.toolTip())
        w.setToolTip(reason)
    elif w.property(_TIP) is not None:
        w.setToolTip(w.property(_TIP))
        w.setProperty(_TIP, None)
        if not _reads_only(w):
            w.setEnabled(True)


class _Guard(QObject):
    def eventFilter(self, obj, event) -> bool:  # Qt name
        t = event.type()
        if t in (QEvent.EnabledChange, QEvent.Show, QEvent.ParentChange, QEvent.ToolTipChange) \
                and isinstance(obj, QWidget):
            reason = _locks(obj)
            if not reason:
                return False
            if t == QEvent.ToolTipChange:
                if obj.toolTip() != reason:  # the page set its own tooltip: kept for when unlocked
                    obj.setProperty(_TIP, obj.toolTip())
                    obj.setToolTip(reason)
            elif obj.isEnabled() and not _reads_only(obj):
                _lock(obj, reason)
        return False


class _TickGuard(QStyledItemDelegate):
    """The default delegate, except that a locked view's check boxes do not toggle (Qt toggles on
    mouse release and on Space/Select; pressing still selects the row)."""

    def editorEvent(self, event, model, option, index) -> bool:  # Qt name
        view = self.parent()
        if isinstance(view, QWidget) and _locks(view) and index.flags() & Qt.ItemIsUserCheckable:
            t = event.type()
            if t == QEvent.MouseButtonRelease:
                return True
            if t == QEvent.KeyPress and event.key() in (Qt.Key_Space, Qt.Key_Select):
                return True
        return super().editorEvent(event, model, option, index)


def locked(w: QWidget) -> bool:
    """Whether `w` (a marked widget) is locked now: disabled, or an item view refusing ticks."""
    return bool(_locks(w)) and (_reads_only(w) or not w.isEnabled())


_GUARD: _Guard | None = None


def _guard() -> _Guard:
    global _GUARD
    if _GUARD is None:
        _GUARD = _Guard()
    return _GUARD


def apply(root: QWidget, reason: str | None, *, held: bool = False) -> None:
    """Lock (reason given) or unlock every marked widget under `root`'s window."""
    _guard()
    win = root.window()
    win.setProperty("sv_readonly_reason", reason or "")
    win.setProperty("sv_readonly_held", bool(held))
    for w in marked(root):
        _lock(w, reason if (held or w.property(PROPERTY) != HELD) else None)
