"""Documents that leave the school: PDF reports (reportlab), the consultant workbook (xlsxwriter),
editable documents (docmodel.py → PDF, HWPX, DOCX), narrative text (jinja2 templates in
resources/templates/) and charts (also as SVG for the GUI).

`registry.py` lists the documents the CLI and the 보고서 page offer and writes them. Every job takes the
workspace plus options and `progress=NULL_PROGRESS`, so the GUI can run it in a worker with progress
and cancel:

    evaluation_report.evaluation_report(ws, out, *, year=None, benchmark=None, progress)   학교평가 결과 보고서
    sodi_report.sodi_report(ws, out, *, instrument=None, year=None, benchmark=None, progress)  학교조직진단 보고서
    questionnaire.questionnaire(ws | None, out, *, instrument, group, progress)  종이 설문지 (.pdf/.hwpx/.docx)
    workbook.export_workbook(ws, out, *, year=None, benchmark=None, progress)     컨설팅용 워크북 (= 제출 파일)
    school_report.school_report(ws, out, *, kind="submission" | "internal", year=None, progress)
                                                                                  학교평가서 (.hwpx/.docx/.pdf)
    charts.survey_chart_svg(ws, instrument_id, *, group=None, kind="radar", year=None) -> bytes

The package imports none of them (import each from its module), so listing the documents through the
registry loads neither reportlab nor xlsxwriter.
"""
