"""The 학교평가서 on the GUI: the 보고서 page writes it in the chosen format; the texts it needs autosave."""

from __future__ import annotations

import zipfile
from pathlib import Path

from schoolvault.workspace import open_workspace, selfeval


def _open_indicator(qtbot, w, code: str):
    page = w.show_page("selfeval")
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    page.select(code)
    qtbot.waitUntil(lambda: page.detail is not None and page.detail["code"] == code and page.form.isEnabled()
                    and page.feature_code is not None, timeout=10000)
    return page


def test_support_needed_and_the_subarea_feature_autosave(typer, fresh_window, qtbot, fresh_ws_path):
    page = _open_indicator(qtbot, fresh_window, "1-1-2")
    assert page.feature_code == "1-1"
    typer(page.texts["support_needed"], "수업 컨설팅 요청")
    typer(page.feature_text, "학생 자치 규칙 만들기")

    def saved():
        with open_workspace(fresh_ws_path, readonly=True) as ws:
            return (selfeval.entry(ws, 2025, "1-1-2").support_needed, selfeval.features(ws, 2025).get("1-1"))
    qtbot.waitUntil(lambda: saved() == ("수업 컨설팅 요청", "학생 자치 규칙 만들기"), timeout=3000)
    page.select("1-1-4")  # the same 세부영역: its 특색사례 comes back
    qtbot.waitUntil(lambda: page.detail["code"] == "1-1-4" and page.feature_text.toPlainText() == "학생 자치 규칙 만들기",
                    timeout=5000)


def test_reports_page_offers_hwpx_first_and_writes_the_submission(demo_window, qtbot, tmp_path):
    from schoolvault.ui.pages import reports
    page = demo_window.show_page("reports")
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    combo = page.rows["submission"]["format"]
    assert [combo.itemData(i) for i in range(combo.count())] == [".hwpx", ".docx", ".pdf"]
    kind = next(k for k in reports.REPORTS if k.key == "submission")
    assert page.default_name(kind).endswith("학교평가서_제출용.hwpx")
    out = tmp_path / "학교평가서.hwpx"
    page.make("submission", str(out))
    qtbot.waitUntil(lambda: page.rows["submission"]["status"].text().startswith("저장했습니다"), timeout=30000)
    with zipfile.ZipFile(out) as z:
        assert z.read("mimetype") == b"application/hwp+zip"
        assert b"hp:tbl" in z.read("Contents/section0.xml")
    assert page.rows["submission"]["open"].isVisible()


def test_paper_questionnaire_offers_hwpx_and_docx_and_writes_the_chosen_group(demo_window, qtbot, tmp_path):
    import docx
    page = demo_window.show_page("reports")
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    row = page.rows["questionnaire"]
    fmt = row["format"]
    assert [fmt.itemData(i) for i in range(fmt.count())] == [".pdf", ".hwpx", ".docx"]
    fmt.setCurrentIndex(fmt.findData(".docx"))
    qtbot.waitUntil(lambda: row["group"].findData("학부모") >= 0, timeout=10000)
    row["group"].setCurrentIndex(row["group"].findData("학부모"))
    out = tmp_path / "설문지.docx"
    page.make("questionnaire", str(out))
    qtbot.waitUntil(lambda: row["status"].text().startswith("저장했습니다"), timeout=30000)
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "학부모용" in text and "자녀의 학년을" in text
    # the preview is the PDF form of the same survey and group (it needs both, or it would fail)
    qtbot.waitUntil(lambda: getattr(page.preview, "path", None) is not None, timeout=30000)
    assert page.preview.path.endswith(".pdf") and Path(page.preview.path).exists()
    page.preview.wait()
