"""District-office aggregation (교육지원청 종합 분석): schools' submission workbooks read back,
analysed by school level (학교급) and district (소속청), summarised in a report, and published as
benchmarks that schools import to see their percentile.

Modules: reader (python-calamine), writer (lean xlsxwriter of the two sheets), importer, aggregate
(pure statistics, school as the unit of analysis), benchmark, report (PDF/xlsx), demo.
"""
