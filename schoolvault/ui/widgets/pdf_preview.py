"""미리보기: the pages of a PDF drawn inside the app (pypdfium2 renders, Qt shows images).

PySide6-Essentials has no QtPdf, so pdfium (through pypdfium2, the library Chrome uses) renders each page
to pixels on a worker thread, page by page; the GUI thread only wraps the finished images. pdfium is not
thread-safe, so every render runs on one one-thread pool that nothing else uses. Pages fit the width of
the view and follow it when the window is resized.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger(__name__)

# Pixel width pages are rendered at: the view's width on a high-DPI screen, within bounds that keep a
# 20-page 교내 보관용 under about 60 MB of images and a page sharp when the panel is widened.
MIN_RENDER_PX, MAX_RENDER_PX = 700, 1200
PAGE_GAP = 10
RESCALE_DELAY_MS = 120

_pool: QThreadPool | None = None


def render_pool() -> QThreadPool:
    """The one thread that talks to pdfium (created on first use)."""
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)
    return _pool


class RenderSignals(QObject):
    page_ready = Signal(int, int, QImage)   # index, page count, image
    finished = Signal(int)                  # page count
    failed = Signal(str)


class RenderJob(QRunnable):
    """Render every page of one PDF, emitting each as it is done; `cancel()` stops after the current page."""

    def __init__(self, path: str, width_px: int, signals: RenderSignals):
        super().__init__()
        self.path, self.width_px, self.signals = path, width_px, signals
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:  # worker thread: pdfium and QImage only, no widgets
        import pypdfium2 as pdfium  # type: ignore[import-untyped]
        try:
            pdf = pdfium.PdfDocument(self.path)
            try:
                count = len(pdf)
                for i in range(count):
                    if self.cancelled:
                        return
                    page = pdf[i]
                    width_pt, _ = page.get_size()
                    bitmap = page.render(scale=self.width_px / width_pt, rev_byteorder=True)
                    image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                                   QImage.Format.Format_RGB888).copy()  # copy: the buffer goes with the bitmap
                    bitmap.close()
                    page.close()
                    self._emit("page_ready", i, count, image)
                self._emit("finished", count)
            finally:
                pdf.close()
        except Exception as e:  # noqa: BLE001 — a file pdfium cannot read is shown as a note, not a crash
            log.warning("preview of %s failed: %s", self.path, e)
            self._emit("failed", str(e))

    def _emit(self, name: str, *args) -> None:
        if self.cancelled:
            return
        try:
            getattr(self.signals, name).emit(*args)
        except RuntimeError:  # the preview was closed meanwhile
            log.debug("preview job finished after its widget went away")


class PdfPreview(QWidget):
    """A scrollable column of page images with a title, a note and page-by-page progress."""

    rendered = Signal(int)  # page count, once every page is shown

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.images: list[QImage] = []
        self.labels: list[QLabel] = []
        self.path: str | None = None
        self._job: RenderJob | None = None
        self._signals: RenderSignals | None = None
        self._generation = 0
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.title = QLabel("미리보기")
        self.title.setStyleSheet("font-weight: bold;")
        top.addWidget(self.title, 1)
        self.status = QLabel("")
        top.addWidget(self.status)
        lay.addLayout(top)
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self.note.setVisible(False)
        self.note.setStyleSheet("color: #555;")
        lay.addWidget(self.note)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(6)
        self.progress.setVisible(False)
        lay.addWidget(self.progress)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.area.setFrameShape(QFrame.Shape.StyledPanel)
        self.area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)  # pages arriving never narrow the view
        self.area.setStyleSheet("QScrollArea { background: #8a8f98; }")
        self.pages = QWidget()
        self.pages.setStyleSheet("background: #8a8f98;")
        self.column = QVBoxLayout(self.pages)
        self.column.setContentsMargins(PAGE_GAP, PAGE_GAP, PAGE_GAP, PAGE_GAP)
        self.column.setSpacing(PAGE_GAP)
        self.column.addStretch(1)
        self.area.setWidget(self.pages)
        self.area.setAccessibleName("미리보기 쪽")
        lay.addWidget(self.area, 1)
        self._rescale = QTimer(self)
        self._rescale.setSingleShot(True)
        self._rescale.setInterval(RESCALE_DELAY_MS)
        self._rescale.timeout.connect(self._fit_width)
        # a closed window stops its render after the current page (the job holds no reference to us)
        self._live: dict[str, RenderJob | None] = {"job": None}
        self.destroyed.connect(lambda *_, live=self._live: live["job"] and live["job"].cancel())

    # ---------------------------------------------------------------- showing a file
    def show_pdf(self, path: str | Path, *, title: str = "미리보기", note: str = "") -> None:
        """Render `path` page by page into the view (replacing what was shown)."""
        self.clear()
        self.path = str(path)
        self.title.setText(title)
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.status.setText("그리는 중…")
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self._signals = RenderSignals(self)
        # a page of a cancelled render may already be queued: only the current render's pages are shown
        gen = self._generation
        self._signals.page_ready.connect(lambda i, n, image: self._current(gen, self._add_page, i, n, image))
        self._signals.finished.connect(lambda n: self._current(gen, self._done, n))
        self._signals.failed.connect(lambda m: self._current(gen, self._failed, m))
        self._job = self._live["job"] = RenderJob(self.path, self._render_width(), self._signals)
        render_pool().start(self._job)

    def show_message(self, title: str, text: str) -> None:
        """No pages: a title and a sentence (a format with nothing to preview, a failed render)."""
        self.clear()
        self.title.setText(title)
        self.note.setText(text)
        self.note.setVisible(True)
        self.status.setText("")

    def clear(self) -> None:
        self._generation += 1
        if self._job is not None:
            self._job.cancel()
            self._job = None
        if self._signals is not None:
            self._signals.deleteLater()  # on the GUI thread, after any emission already queued
            self._signals = None
        for label in self.labels:
            label.deleteLater()
        self.labels, self.images, self.path = [], [], None
        self.progress.setVisible(False)

    def wait(self, msecs: int = 30000) -> bool:
        """Block until the renderer is idle (tests, closing)."""
        return render_pool().waitForDone(msecs)

    # ---------------------------------------------------------------- slots (GUI thread)
    def _current(self, gen: int, slot, *args) -> None:
        if gen == self._generation:
            slot(*args)

    def _add_page(self, index: int, count: int, image: QImage) -> None:
        self.progress.setRange(0, count)
        self.progress.setValue(index + 1)
        self.status.setText(f"{index + 1}/{count}쪽")
        label = QLabel()
        label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        label.setAccessibleName(f"{index + 1}쪽")
        label.setStyleSheet("background: white;")
        self.images.append(image)
        self.labels.append(label)
        self.column.insertWidget(self.column.count() - 1, label)
        self._set_pixmap(label, image, self._view_width())

    def _done(self, count: int) -> None:
        self.progress.setVisible(False)
        self.status.setText(f"{count}쪽")
        self._job = None
        self.rendered.emit(count)

    def _failed(self, message: str) -> None:
        self.progress.setVisible(False)
        self.status.setText("")
        self.note.setText("미리보기를 그리지 못했습니다. 파일은 저장되었으니 '열기'로 확인하세요.")
        self.note.setVisible(True)
        self._job = None

    # ---------------------------------------------------------------- fit width
    def _view_width(self) -> int:
        return max(self.area.viewport().width() - 2 * PAGE_GAP, 100)

    def _render_width(self) -> int:
        px = int(self._view_width() * self.devicePixelRatioF())
        return min(max(px, MIN_RENDER_PX), MAX_RENDER_PX)

    def _set_pixmap(self, label: QLabel, image: QImage, width: int) -> None:
        ratio = self.devicePixelRatioF()
        scaled = image.scaledToWidth(int(width * ratio), Qt.TransformationMode.SmoothTransformation)
        pixmap = QPixmap.fromImage(scaled)
        pixmap.setDevicePixelRatio(ratio)
        label.setPixmap(pixmap)
        label.setFixedHeight(int(scaled.height() / ratio))

    def _fit_width(self) -> None:
        width = self._view_width()
        for label, image in zip(self.labels, self.images):
            self._set_pixmap(label, image, width)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.labels:
            self._rescale.start()
