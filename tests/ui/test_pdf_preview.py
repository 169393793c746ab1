"""미리보기 on the 보고서 page: a document just made shows its pages, rendered off the GUI thread."""

from __future__ import annotations

from pypdf import PdfReader


def _wait_rendered(qtbot, preview, timeout=30000):
    qtbot.waitUntil(lambda: preview.path is not None and preview._job is None and preview.labels, timeout=timeout)


def test_a_pdf_report_shows_one_image_per_page(demo_window, qtbot, tmp_path):
    page = demo_window.show_page("reports")
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    row = page.rows["submission"]
    row["format"].setCurrentIndex(row["format"].findData(".pdf"))
    out = tmp_path / "학교평가서.pdf"
    with qtbot.waitSignal(page.preview.rendered, timeout=30000) as signal:
        page.make("submission", str(out))
    pages = len(PdfReader(str(out)).pages)
    assert signal.args == [pages] and pages >= 3
    assert page.preview.isVisible() and page.preview.path == str(out)
    assert len(page.preview.labels) == pages
    assert page.preview.status.text() == f"{pages}쪽"
    first = page.preview.labels[0].pixmap()
    assert not first.isNull()
    # fit width: the page is as wide as the view, and A4-shaped
    view = page.preview.area.viewport().width()
    assert abs(first.width() / first.devicePixelRatio() - (view - 20)) <= 2 and view > 400
    assert 1.38 < first.height() / first.width() < 1.44
    image = page.preview.images[0]  # not blank: the title and the grid were drawn
    dark = sum(1 for y in range(0, image.height(), 8) for x in range(0, image.width(), 8)
               if image.pixelColor(x, y).lightness() < 128)
    assert dark > 50


def test_a_hwpx_report_is_previewed_through_the_pdf_of_the_same_document(demo_window, qtbot, tmp_path):
    page = demo_window.show_page("reports")
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    assert page.rows["internal"]["format"].currentData() == ".hwpx"
    with qtbot.waitSignal(page.preview.rendered, timeout=60000) as signal:
        page.make("internal", str(tmp_path / "교내.hwpx"))
    assert (tmp_path / "교내.hwpx").exists()
    shown = page.preview.path
    assert shown.endswith(".pdf") and "schoolvault-preview-" in shown  # a temporary PDF, not the user's folder
    assert signal.args == [len(PdfReader(shown).pages)] == [len(page.preview.labels)]
    assert page.preview.note.isVisible() and "한글" in page.preview.note.text()
    assert not list(tmp_path.glob("*.pdf"))


def test_a_new_preview_replaces_the_old_one(qtbot, tmp_path, demo_ws_path):
    from schoolvault.reports.school_report import school_report
    from schoolvault.ui.widgets.pdf_preview import PdfPreview
    from schoolvault.workspace import open_workspace
    with open_workspace(demo_ws_path) as ws:
        a = school_report(ws, tmp_path / "a.pdf", kind="internal")["pages"]
        b = school_report(ws, tmp_path / "b.pdf", kind="submission")["pages"]
    assert a != b
    w = PdfPreview()
    qtbot.addWidget(w)
    w.resize(500, 700)
    w.show()
    w.show_pdf(tmp_path / "a.pdf")
    with qtbot.waitSignal(w.rendered, timeout=30000):
        w.show_pdf(tmp_path / "b.pdf")  # at once: the first render is cancelled
    w.wait()
    qtbot.wait(50)  # let queued page signals of the cancelled job arrive (they must be ignored)
    assert len(w.labels) == b
    w.show_pdf(tmp_path / "missing.pdf")
    qtbot.waitUntil(lambda: "그리지 못했습니다" in w.note.text(), timeout=10000)
    assert w.labels == []


def test_the_bundle_carries_pdfium_for_the_preview():
    import importlib.util
    import sys
    from pathlib import Path

    import pytest
    root = Path(__file__).resolve().parents[2]
    spec = (root / "installer" / "schoolvault.spec").read_text(encoding="utf-8")
    assert 'PDFIUM_MODULES = ["pypdfium2", "pypdfium2_raw"]' in spec and "+ PDFIUM_MODULES)" in spec
    sys.path.insert(0, str(root / "installer"))
    try:
        import buildinfo
    finally:
        sys.path.remove(str(root / "installer"))
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.skip("PyInstaller (the bundle extra) is not installed")
    from PyInstaller.utils.hooks import collect_dynamic_libs
    libs = collect_dynamic_libs("pypdfium2_raw")  # what pyinstaller-hooks-contrib's hook collects
    assert [dest for src, dest in libs if "pdfium" in Path(src).name] == ["pypdfium2_raw"]
    # the lean-bundle pass never drops it as an orphan library
    assert not buildinfo._prunable("pypdfium2_raw/libpdfium.so")
    assert not buildinfo.dropped("pypdfium2_raw/libpdfium.so", windows=False)
