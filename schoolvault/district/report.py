"""The district's yearly summary (종합보고서): a PDF to publish and an internal .xlsx workbook.

The PDF (`report_pdf`) never names a school: it shows levels, districts, indicators and factors, the
spread of school scores, and counts of schools needing support. The workbook (`report_xlsx`) is for the
office itself and adds the named-school tables (scores, percentile within level, support flags). Both come
from `district_stats`; what they show and the 5-school rule live in `report_view`.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import SchoolVaultError
from ..progress import NULL_PROGRESS
from ..workspace.db import Workspace
from .aggregate import district_stats
from .report_view import area_level_rows, is_public
from .report_xlsx import write_xlsx_report

__all__ = ["area_level_rows", "is_public", "write_report"]


def write_report(ws: Workspace, out: str | Path, *, year: int | None = None, title: str | None = None,
                 progress=NULL_PROGRESS) -> dict:
    """Write the 종합보고서 as PDF (public: no school names) or .xlsx (internal: with named schools)."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        raise SchoolVaultError(f"보고서 파일 이름은 .pdf나 .xlsx로 끝나야 합니다: {out.name}",
                               hint="예: 종합보고서.pdf 또는 종합보고서.xlsx")
    if not out.parent.exists():
        raise SchoolVaultError("저장할 폴더가 없습니다.", where=str(out.parent), hint="폴더를 먼저 만드세요.")
    progress.report(0, 0, "통계 계산 중")
    stats = district_stats(ws, year, by_level_district=True)
    title = title or "교육지원청"
    if suffix == ".pdf":
        # reportlab is loaded only when a PDF is asked for
        from .report_pdf import write_pdf_report
        info = write_pdf_report(stats, out, title=title, progress=progress)
    else:
        info = write_xlsx_report(stats, out, title=title)
    with ws.transaction():
        ws.audit("district_report", file=out.name, year=stats["year"], schools=stats["n_schools"])
    return {"out": str(out), "year": stats["year"], "n_schools": stats["n_schools"], **info}
