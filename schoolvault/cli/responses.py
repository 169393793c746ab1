"""Survey responses in: import-responses, survey create-from/build/link, template, comments."""

from __future__ import annotations

from contextlib import closing

from ..errors import SchoolVaultError
from . import add_command, open_ws


def register(sub, common) -> None:
    p = add_command(sub, common, "import-responses", cmd_import_responses,
                    "설문 응답 파일(.xlsx, .xls, .csv)을 가져옵니다", human=import_human,
                    example="schoolvault-cli import-responses 응답.xlsx --instrument sodi-example-2025 --group 교원 --json")
    p.add_argument("file")
    p.add_argument("--instrument", required=True, help="설문 도구 id")
    p.add_argument("--group", required=True, help="응답 집단 (교원, 직원, 학생, 학부모)")
    p.add_argument("--sheet", help="시트 이름 (기본: 응답이 있는 시트를 찾아 씀)")
    p.add_argument("--mapping", metavar="FILE",
                   help='열 연결표 JSON: {"머리글 또는 열 문자": "문항 코드" 또는 null}')
    p.add_argument("--dry-run", action="store_true", help="저장하지 않고 결과만 확인")
    p.add_argument("--replace", nargs="?", const=True, default=False, type=int, metavar="ID",
                   help="이전 가져오기를 이 파일로 바꾸기 (번호: 'imports list'; 번호 없이: 이 파일과 같거나 겹치는 가져오기)")
    p.add_argument("--force-group", action="store_true",
                   help="파일의 질문이 다른 응답 집단에 더 잘 맞아도 --group으로 가져오기")
    p.add_argument("--period", help="설문 시기: 중간(1학기 중간평가) 또는 학년말 (기본: 학년말)")

    im = sub.add_parser("imports", help="가져온 응답 파일 목록과 삭제")
    isub = im.add_subparsers(dest="sub", metavar="SUBCOMMAND")
    isub.required = True
    p = add_command(isub, common, "list", cmd_imports_list, "가져온 응답 파일 목록 (번호, 파일, 설문, 집단, 시기, 응답자 수, 시각)",
                    human=_imports_human, example="schoolvault-cli imports list --year 2026")
    p.add_argument("--year", type=int, help="학년도 (기본: 현재 학년도)")
    p = add_command(isub, common, "delete", cmd_imports_delete, "가져온 응답 파일 하나를 지웁니다 (먼저 백업)",
                    human=_deleted_human, example="schoolvault-cli imports delete 3")
    p.add_argument("id", type=int, help="가져오기 번호 ('imports list'의 번호)")

    sv = sub.add_parser("survey", help="학교 설문 만들기 (응답 파일에서, 문항 예시자료에서)")
    ssub = sv.add_subparsers(dest="sub", metavar="SUBCOMMAND")
    ssub.required = True
    p = add_command(ssub, common, "create-from", cmd_survey_create_from, "응답 파일의 질문으로 설문을 만듭니다",
                    human=_created_human,
                    example="schoolvault-cli survey create-from 응답.csv --id gadong-2026 --group 교원")
    p.add_argument("file")
    p.add_argument("--id", required=True, help="새 설문 id (영문, 숫자, -)")
    p.add_argument("--group", required=True, help="응답 집단")
    p.add_argument("--title", help="설문 제목")
    p.add_argument("--sheet", help="시트 이름")
    p.add_argument("--scale-points", type=int, choices=[4, 5, 6, 7], help="척도 점수 (기본: 응답 라벨로 판단)")
    p.add_argument("--replace", action="store_true", help="같은 id의 설문을 바꾸기")
    p = add_command(ssub, common, "build", cmd_survey_build, "문항 예시자료에서 지표를 골라 설문을 만듭니다",
                    human=_created_human,
                    example="schoolvault-cli survey build --id my-2025 --bank itembank-2025 --group 교원 "
                     "--indicator '학교 회의 문화 활성화' 1-2-1")
    p.add_argument("--id", required=True, help="새 설문 id")
    p.add_argument("--bank", required=True, help="문항 예시자료 id (예: itembank-2025)")
    p.add_argument("--group", required=True, nargs="+", action="extend", help="응답 집단 (여럿 가능)")
    p.add_argument("--indicator", required=True, nargs="+", action="extend", help="지표 이름 또는 코드 (여럿 가능)")
    p.add_argument("--title", help="설문 제목")
    p.add_argument("--items-per-indicator", type=int, default=1, help="지표마다 넣을 문항 수 (기본 1)")
    p.add_argument("--replace", action="store_true", help="같은 id의 설문을 바꾸기")
    p = add_command(ssub, common, "link", cmd_survey_link, "설문 문항을 평가지표에 연결합니다",
                    example="schoolvault-cli survey link --instrument gadong-2026 Q01=1-1-3 Q02=2-2-1")
    p.add_argument("--instrument", required=True)
    p.add_argument("links", nargs="+", help="문항코드=지표코드 (연결을 지우려면 문항코드=)")
    from .asked import register_survey
    register_survey(ssub, common)

    p = add_command(sub, common, "template", cmd_template, "설문 양식(문항 목록 + 빈 응답 시트)을 만듭니다",
                    human=lambda r: f"양식을 만들었습니다: {r['file']} (문항 {r['questions']}개)",
                    example="schoolvault-cli template --instrument my-2025 --group 교원 양식.xlsx")
    p.add_argument("--instrument", required=True)
    p.add_argument("--group", required=True)
    p.add_argument("out", help="저장할 파일 (.xlsx 또는 .txt)")

    p = add_command(sub, common, "comments", cmd_comments, "서술형 의견 목록 (의미 없는 답 제외)", human=_comments_human,
                    example="schoolvault-cli comments --instrument sodi-example-2025 --group 교원 --json")
    p.add_argument("--instrument", required=True)
    p.add_argument("--group")
    p.add_argument("--year", type=int)
    p.add_argument("--all", action="store_true", help="'없음' 같은 답도 보이기")
    p.add_argument("--themes", action="store_true", help="주제별로 묶기 (핵심어, 집단별 의견 수, 대표 의견)")
    p.add_argument("--keywords", action="store_true", help="집단마다 다른 집단보다 많이 쓴 핵심어")
    p.add_argument("--period", help="설문 시기: 중간 또는 학년말 (--themes, --keywords; 기본: 학년말)")
    p.epilog = (p.epilog or "") + ("\n주제: schoolvault-cli comments --instrument sodi-example-2025 --themes"
                                   "\n핵심어: schoolvault-cli comments --instrument sodi-example-2025 --keywords --json")


def cmd_import_responses(args):
    from ..importing import import_responses, load_mapping_file
    from ..progress import Progress
    mapping = load_mapping_file(args.mapping) if args.mapping else None
    with closing(open_ws(args)) as ws:
        return import_responses(ws, args.file, args.instrument, args.group, sheet=args.sheet, mapping=mapping,
                                dry_run=args.dry_run, replace=args.replace, period=args.period,
                                force_group=args.force_group, progress=Progress())


def import_human(r) -> str:
    head = "확인만 했습니다 (저장 안 함)" if r.get("dry_run") else "가져왔습니다"
    period = f" / {r['period_label']}" if r.get("period_label") else ""
    lines = [f"{head}: {r['file']} → {r['instrument']} / {r['group']}{period}",
             (f"  읽은 행 {r['rows_read']}, 응답자 {r['respondents']}명, 건너뛴 행 {len(r['skipped_rows'])}, "
              f"빈 값으로 처리한 칸 {len(r['missing_cells'])}, 서술형 의견 {r.get('comments', 0)}개"),
             (f"  연결한 열 {len(r['columns_mapped'])}, 제외한 개인정보 열 {len(r['columns_dropped'])}, "
              f"연결 못 한 열 {len(r['columns_unmapped'])}")]
    if r.get("already_imported"):
        lines.append("  ※ 이미 가져온 파일입니다. 저장하려면 --replace를 쓰세요.")
    if r.get("likely_group") and r.get("dry_run"):
        lines.append(f"  ※ 이 파일은 '{r['likely_group']}' 응답으로 보입니다: --group {r['likely_group']}")
    lines += [f"  ※ {note}" for note in r.get("notes", ())]
    for c in r["columns_dropped"]:
        lines.append(f"  - {c['column']}열 '{c['header'][:30]}' 제외: {c.get('reason', '개인정보')}")
    for c in r["columns_unmapped"][:10]:
        lines.append(f"  - {c['column']}열 '{c['header'][:30]}' 연결 안 됨")
    for s in r["skipped_rows"][:10]:
        lines.append(f"  - {s['row']}행 건너뜀: {s['reason']}")
    for c in r["missing_cells"][:10]:
        lines.append(f"  - {c['row']}행 {c.get('letter', '')}열 '{c['column'][:30]}': '{c['value']}' → 빈 값 ({c['reason']})")
    return "\n".join(lines)


def cmd_imports_list(args):
    from ..importing.history import list_imports
    with closing(open_ws(args, readonly=True)) as ws:
        return {"imports": list_imports(ws, args.year)}


def _imports_human(r) -> str:
    if not r["imports"]:
        return "가져온 응답 파일이 없습니다."
    return "\n".join(f"{i['id']:>4}  {i['file']}  {i['instrument']}  {i['group']}  {i['period_label']}  "
                     f"{i['rows']}명  {i['local_time']}" for i in r["imports"])


def cmd_imports_delete(args):
    from ..importing.history import delete_import
    with closing(open_ws(args)) as ws:
        return delete_import(ws, args.id)


def _deleted_human(r) -> str:
    lines = [(f"가져오기 {r['id']}번을 지웠습니다: {r['file']} ({r['instrument']} / {r['group']} / "
              f"{r['period_label']}, 응답자 {r['rows']}명)")]
    if r.get("backup"):
        lines.append(f"  지우기 전 백업: {r['backup']} (되돌리려면 이 백업을 복원하세요)")
    return "\n".join(lines)


def cmd_survey_create_from(args):
    from ..importing.survey_from import create_from_file
    with closing(open_ws(args)) as ws:
        return create_from_file(ws, args.file, survey_id=args.id, group=args.group, title=args.title,
                                sheet=args.sheet, points=args.scale_points, replace=args.replace)


def _created_human(r) -> str:
    lines = [(f"설문을 만들었습니다: {r['id']} {r['title']} (문항 {r['items']}개, 서술형 {r['open_questions']}개, "
              f"{r['scale']['points']}점 척도)")]
    if r.get("linked") is not None:
        lines.append(f"  평가지표와 연결한 문항 {len(r['linked'])}개 (바꾸려면 'survey link')")
    cols = r.get("columns") or {}
    for h in cols.get("dropped", []):
        lines.append(f"  - 개인정보 열 제외: {h[:40]}")
    for note in cols.get("notes", []):
        lines.append(f"  ※ {note}")
    if r.get("placeholders"):
        lines.append("  ※ 'OO'가 들어 있는 문항은 학교 실정에 맞게 고치세요: " + ", ".join(r["placeholders"]))
    for p in r.get("placements") or ():
        if p["needs_confirmation"]:
            lines.append(f"  ※ 세부영역 확인 필요 ({p['factor']}): " + _placement_text(p))
    lines += [f"  ※ {w}" for w in r.get("coverage") or ()]
    return "\n".join(lines)


def _placement_text(p: dict) -> str:
    if p["kind"] == "earlier":
        return (f"'{p['label']}'은(는) {p['earlier_year']}학년도 세부영역입니다. "
                f"올해는 {p['subarea']} {p['subarea_title']}에 해당합니다.")
    near = ", ".join(f"{c['subarea']} {c['title']}" for c in p["candidates"])
    return f"'{p['label']}'은(는) 올해 세부영역에 없습니다" + (f" (비슷한 세부영역: {near})." if near else ".")


def cmd_survey_build(args):
    from ..itembank import build_survey
    with closing(open_ws(args)) as ws:
        return build_survey(ws, survey_id=args.id, bank_id=args.bank, groups=args.group, indicators=args.indicator,
                            title=args.title, per_indicator=args.items_per_indicator, replace=args.replace)


def cmd_survey_link(args):
    from ..importing.survey_from import link_items
    links = {}
    for spec in args.links:
        if "=" not in spec:
            raise SchoolVaultError(f"'{spec}'은(는) 문항코드=지표코드 형식이 아닙니다.", hint="예: Q01=1-1-3")
        item, ind = spec.split("=", 1)
        links[item.strip()] = ind.strip() or None
    with closing(open_ws(args)) as ws:
        return link_items(ws, args.instrument, links)


def cmd_template(args):
    from .. import services
    from ..importing.template import write_template
    with closing(open_ws(args)) as ws:
        survey = services.survey(ws, args.instrument)
    return write_template(survey, args.group, args.out)


def cmd_comments(args):
    if args.themes or args.keywords:
        from .themes import cmd_comment_analysis
        return cmd_comment_analysis(args)
    from .. import services
    from ..forms.groups import canonical_group
    from ..importing.comments import list_comments
    with closing(open_ws(args)) as ws:
        inst = services.survey(ws, args.instrument)  # a mistyped id or group is an error, not "no comments"
        if args.group and canonical_group(args.group) not in inst.groups:
            raise SchoolVaultError(f"응답 집단 '{args.group}'은(는) 이 설문에 없습니다.",
                                   hint="이 설문의 응답 집단: " + ", ".join(inst.groups))
        rows = list_comments(ws, args.instrument, args.group, args.year, include_meaningless=args.all)
    return {"comments": [{"item": c["item"], "group": c["group"], "text": c["text"]} for c in rows]}


def _comments_human(r) -> str:
    if "text" in r:  # --themes / --keywords
        return r["text"]
    if not r["comments"]:
        return "서술형 의견이 없습니다."
    return "\n".join(f"[{c['group']} {c['item']}] {c['text']}" for c in r["comments"])
