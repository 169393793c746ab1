"""Documents that leave the school: PDF reports (reportlab), the consultant workbook (xlsxwriter),
narrative text (jinja2 templates in resources/templates/) and charts (also as SVG for the GUI).

Every job takes the workspace plus options and `progress=NULL_PROGRESS`, so the GUI can run it in
a worker with progress and cancel:

    evaluation_report(ws, out, *, year=None, benchmark=None, progress)        학교평가 결과 보고서
    sodi_report(ws, out, *, instrument=None, year=None, benchmark=None, progress)  학교조직진단 보고서
    questionnaire(ws | None, out, *, instrument, group, progress)             종이 설문지 (.pdf/.hwpx/.docx)
    export_workbook(ws, out, *, year=None, benchmark=None, progress)          컨설팅용 워크북 (= 제출 파일)
    survey_chart_svg(ws, instrument_id, *, group=None, kind="radar", year=None) -> bytes
    school_report(ws, out, *, kind="submission" | "internal", year=None, progress)  학교평가서 (.hwpx/.docx/.pdf)
"""

from __future__ import annotations

# The functions are bound after their modules load, so `reports.evaluation_report` is the
# function, not the submodule of the same name.
from .charts import survey_chart_svg
from .evaluation_report import evaluation_report
from .questionnaire import questionnaire
from .school_report import school_report
from .sodi_report import sodi_report
from .workbook import export_workbook

__all__ = ["evaluation_report", "export_workbook", "questionnaire", "school_report", "sodi_report",
           "survey_chart_svg"]
