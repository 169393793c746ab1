"""District-office commands: district import/stats/report/benchmark, benchmark import, demo-district.

A district workspace is an ordinary workspace file whose school table may be empty: `district`
commands create it when it does not exist yet (`--db district.sqlite district import 폴더/`).
"""

from __future__ import annotations

from contextlib import closing

from . import add_command, open_ws


def register(sub, common) -> None:
    d = sub.add_parser("district", help="교육지원청: 학교 제출 파일 가져오기, 학교급·소속청별 통계, 종합보고서, 벤치마크")
    dsub = d.add_subparsers(dest="sub", metavar="SUBCOMMAND")
    dsub.required = True
    p = add_command(dsub, common, "import", cmd_import, "학교 제출 워크북(.xlsx)이나 폴더를 가져옵니다", human=_import_human,
                    example="schoolvault-cli --db 교육청.sqlite district import 제출파일/ 추가.xlsx")
    p.add_argument("files", nargs="+", help="워크북 파일 또는 폴더")
    p.add_argument("--workers", type=int, help="읽기 프로세스 수 (기본: 파일이 많으면 CPU 수)")
    p.add_argument("--replace-school", nargs="+", action="extend", default=[], metavar="CODE",
                   help="이 학교 코드의 앞 제출을 이 파일로 바꿉니다 (다른 학교 정보나 수정된 파일이라 보류된 경우)")
    p = add_command(dsub, common, "stats", cmd_stats, "학교급·소속청별 통계 (학교 단위)", human=_stats_human,
                    example="schoolvault-cli --db 교육청.sqlite district stats --json")
    p.add_argument("--year", type=int)
    p = add_command(dsub, common, "report", cmd_report, "종합보고서 PDF 또는 내부용 엑셀(.xlsx)을 만듭니다",
                    human=lambda r: f"종합보고서를 만들었습니다: {r['out']} (학교 {r['n_schools']}개)",
                    example="schoolvault-cli --db 교육청.sqlite district report 종합보고서.pdf")
    p.add_argument("out", help="OUT.pdf 또는 OUT.xlsx")
    p.add_argument("--year", type=int)
    p.add_argument("--title", help="기관 이름 (예: 서울특별시교육청)")
    p = add_command(dsub, common, "benchmark", cmd_benchmark, "학교에 배포할 벤치마크 파일(JSON)을 만듭니다",
                    human=lambda r: f"벤치마크 파일을 만들었습니다: {r['out']} (학교 {r['n_schools']}개)",
                    example="schoolvault-cli --db 교육청.sqlite district benchmark 벤치마크_2025.json")
    p.add_argument("out")
    p.add_argument("--year", type=int)
    p.add_argument("--issuer", help="발행 기관 이름")

    b = sub.add_parser("benchmark", help="교육청이 배포한 벤치마크 파일")
    bsub = b.add_subparsers(dest="sub", metavar="SUBCOMMAND")
    bsub.required = True
    add_command(bsub, common, "import", cmd_benchmark_import, "벤치마크 파일을 학교 작업 파일에 가져옵니다",
                human=_benchmark_import_human,
                example="schoolvault-cli --db 학교.sqlite benchmark import 벤치마크_2025.json").add_argument("file")

    p = add_command(sub, common, "demo-district", cmd_demo_district, "예시 학교 제출 워크북 N개를 만듭니다 (학교급·교육지원청 골고루)",
                    human=lambda r: f"예시 학교 워크북 {r['schools']}개를 만들었습니다: {r['out']}",
                    example="schoolvault-cli demo-district --schools 100 --out 예시제출/ --seed 1")
    p.add_argument("--schools", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--workers", type=int, default=1, help="만들 때 쓸 프로세스 수")


def _terminal_progress():
    """A one-line counter on stderr when it is a terminal (silent in pipes and tests)."""
    import sys

    from ..progress import NULL_PROGRESS, Progress
    if not sys.stderr.isatty():
        return NULL_PROGRESS

    def show(done: int, total: int, label: str) -> None:
        sys.stderr.write(f"\r읽는 중 {done:,}/{total:,}" + ("\n" if total and done >= total else ""))
        sys.stderr.flush()
    return Progress(show)


def cmd_import(args):
    from ..district.importer import import_submissions
    from ..errors import SchoolVaultError
    with closing(open_ws(args, create=True)) as ws:
        result = import_submissions(ws, args.files, workers=args.workers, replace_schools=args.replace_school,
                                    progress=_terminal_progress())
    if result["imported"] + result["replaced"] == 0:
        refused = [f"{f['file']}: {f['reason']}" for f in result["files"] if f["status"] in ("refused", "conflict")]
        raise SchoolVaultError("가져온 파일이 없습니다. " + " / ".join(refused[:5]),
                               hint=next((f["hint"] for f in result["files"] if f.get("hint")), None))
    return result


def _import_human(r) -> str:
    lines = [f"가져옴 {r['imported']}개, 바꿔 넣음 {r['replaced']}개, 거부 {r['refused']}개"
             + (f", 보류 {r['conflicts']}개" if r.get("conflicts") else "")
             + (f", 수정된 파일 {r['edited']}개" if r["edited"] else "")]
    for f in r["files"]:
        if f["status"] == "conflict":
            lines.append(f"  ? {f['file']}: {f['reason']} ({f['hint']})")
        elif f["status"] == "refused":
            lines.append(f"  ✗ {f['file']}: {f['reason']}" + (f" ({f['hint']})" if f.get("hint") else ""))
        elif f["status"] == "replaced":
            lines.append(f"  ↻ {f['file']}: {f['school']} {f['year']}학년도 — 이전 파일 '{f['replaced']['file']}'을(를) 바꿔 넣음")
        for w in f.get("warnings") or ():
            lines.append(f"  ! {f['file']}: {w}")
    return "\n".join(lines)


def cmd_stats(args):
    from ..district.aggregate import district_stats
    with closing(open_ws(args, create=True)) as ws:
        return district_stats(ws, args.year)


def _stats_human(r) -> str:
    lines = [f"{r['year']}학년도 학교 {r['n_schools']}개"]
    for lv, b in r["by_level"].items():
        lines.append(f"  {lv}: {b['n_schools']}개교")
    for d, b in r["by_district"].items():
        lines.append(f"  {d}: {b['n_schools']}개교")
    al = r.get("area_levels") or {}
    if al.get("cells"):
        labels = al["labels"]
        lines.append("영역별 4단계 (학교 수: " + " / ".join([*labels, "n<5"]) + ")")
        for area, groups in al["cells"].items():
            for g in groups:
                e = al["overall"][area][g]
                lines.append(f"  {area} {g}: " + " / ".join(str(e["levels"].get(x, 0)) for x in labels)
                             + f" / {e['suppressed']}")
    old = sum(1 for s in r["schools"] if s.get("area_levels") is None)
    if old:
        lines.append(f"영역 결과가 없는 이전 형식 제출 파일: {old}개 (4단계는 '알 수 없음'으로 셉니다)")
    lines.append(f"지원이 필요한 학교: {sum(1 for s in r['schools'] if s['needs_support'])}개 "
                 "(자세한 내용은 --json 또는 district report OUT.xlsx)")
    return "\n".join(lines)


def cmd_report(args):
    from ..district.report import write_report
    with closing(open_ws(args, create=True)) as ws:
        return write_report(ws, args.out, year=args.year, title=args.title)


def cmd_benchmark(args):
    from ..district.benchmark import write_benchmark
    with closing(open_ws(args, create=True)) as ws:
        return write_benchmark(ws, args.out, year=args.year, issuer=args.issuer)


def cmd_benchmark_import(args):
    from ..district.benchmark import import_benchmark
    with closing(open_ws(args)) as ws:
        return import_benchmark(ws, args.file)


def _benchmark_import_human(r) -> str:
    issuer = f"{r['issuer']} " if r.get("issuer") else ""
    text = f"벤치마크를 가져왔습니다: {issuer}{r['year']}학년도, 학교 {r['n_schools']}개"
    for w in r.get("warnings") or ():
        text += f"\n  ! {w}"
    return text


def cmd_demo_district(args):
    from ..district.demo import write_demo_district
    return write_demo_district(args.schools, args.out, seed=args.seed, workers=args.workers)
