"""Documents out: `report` (학교평가서, feedback report, SODI report, paper questionnaire) and `export` (workbook),
both written through the report registry (reports/registry.py) the 보고서 page uses too."""

from __future__ import annotations

import sys
from contextlib import closing
from pathlib import Path

from ..reports.registry import REPORTS, write_report
from . import add_command, open_ws

KINDS = tuple(k.key for k in REPORTS if k.key != "workbook")  # `export` writes the workbook
KIND_HELP = ("evaluation(학교평가 결과 보고서), sodi(학교조직진단 보고서), questionnaire(종이 설문지), "
             "submission(학교평가서 제출용: .hwpx, .docx, .pdf), internal(학교평가서 교내 보관용)")


def register(sub, common) -> None:
    p = add_command(sub, common, "report", cmd_report,
                    "보고서를 만듭니다: 학교평가서(제출용·교내 보관용; 한글·워드·PDF), 학교평가 결과 보고서, "
                    "학교조직진단 보고서, 종이 설문지",
                    human=_report_human,
                    example="schoolvault-cli --db 학교.sqlite report 학교평가서.hwpx --kind submission")
    p.add_argument("out", help="저장할 파일 (OUT.pdf; 학교평가서와 종이 설문지는 OUT.hwpx, OUT.docx도 됩니다)")
    p.add_argument("--kind", required=True, help=KIND_HELP)
    p.add_argument("--instrument", help="설문 도구 id (sodi: 기본은 올해 응답이 있는 SODI 설문, questionnaire: 필수)")
    p.add_argument("--group", help="응답 집단 (questionnaire: 교원, 직원, 학생, 학부모)")
    p.add_argument("--year", type=int, help="학년도 (기본: 현재 학년도)")

    p = add_command(sub, common, "export", cmd_export,
                    "컨설팅용 워크북(.xlsx)을 만듭니다 — 교육청에 내는 제출 파일이기도 합니다",
                    human=lambda r: f"워크북을 만들었습니다: {r['file']} (시트 {len(r['sheets'])}개, 응답자 {r['respondents']}명)",
                    example="schoolvault-cli --db 학교.sqlite export 2025_학교평가_결과.xlsx")
    p.add_argument("out", help="저장할 엑셀 파일 (OUT.xlsx)")
    p.add_argument("--year", type=int, help="학년도 (기본: 현재 학년도)")


def _report_human(r: dict) -> str:
    if r.get("kind") in ("submission", "internal"):
        label = "제출용" if r["kind"] == "submission" else "교내 보관용"
        pages = f", {r['pages']}쪽" if r.get("pages") else ""
        return f"학교평가서({label})를 만들었습니다: {r['file']} (문항 {r['items']}개{pages})"
    return f"보고서를 만들었습니다: {r['file']} ({r['pages']}쪽)"


def cmd_report(args):
    out = Path(args.out)
    if args.kind not in KINDS:  # a usage error: exit 2, in Korean (argparse's own choices message is English)
        sys.stderr.write(f"사용법 오류: 보고서 종류 '{args.kind}'을(를) 알 수 없습니다. 다음 중 하나를 쓰세요: "
                         f"{KIND_HELP}\n")
        raise SystemExit(2)
    if args.kind == "questionnaire":
        if not args.instrument or not args.group:  # a usage error: exit 2 like argparse's own
            sys.stderr.write("사용법 오류: --kind questionnaire에는 --instrument와 --group이 필요합니다 "
                             "(예: --instrument sodi-example-2025 --group 학생).\n")
            raise SystemExit(2)
        db = Path(args.db) if args.db else None
        if db is None or not db.exists():  # a blank form, without the school's name
            return write_report(None, args.kind, out, instrument=args.instrument, group=args.group)
    with closing(open_ws(args)) as ws:
        return write_report(ws, args.kind, out, instrument=args.instrument, group=args.group, year=args.year)


def cmd_export(args):
    with closing(open_ws(args)) as ws:
        return write_report(ws, "workbook", Path(args.out), year=args.year)
