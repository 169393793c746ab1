"""Foundation commands: init, instruments, stats, self-eval, demo, check, status."""

from __future__ import annotations

from contextlib import closing

from .. import composing, readiness, services
from ..errors import SchoolVaultError
from ..forms.periods import DEFAULT_PERIOD
from . import add_command, open_ws
from .stats_text import stats_human


def register(sub, common) -> None:
    _register_init(sub, common)
    _register_instruments(sub, common)
    _register_stats(sub, common)
    _register_self_eval(sub, common)
    _register_year(sub, common)


def _register_init(sub, common) -> None:
    p = add_command(sub, common, "init", cmd_init, "학교 정보와 평가 연도로 작업 파일을 만듭니다",
                    human=lambda r: f"{r['school']['name']} {r['year']}학년도 작업 파일을 준비했습니다: {r['db']}",
                    example="schoolvault-cli --db 학교.sqlite init --school 서울가나초등학교 --level 초 --district 동부 --year 2025")
    p.add_argument("--school", required=True, help="학교 이름")
    p.add_argument("--level", required=True, help="학교급: 초, 중, 고, 특수")
    p.add_argument("--district", required=True, help="교육지원청 (예: 동부, 강남서초, 본청)")
    p.add_argument("--year", required=True, type=int, help="학년도 (예: 2025)")
    p.add_argument("--code", help="학교 코드 (선택)")


def _register_instruments(sub, common) -> None:
    inst = sub.add_parser("instruments", help="평가지표·설문 도구 목록, 보기, 가져오기")
    isub = inst.add_subparsers(dest="sub", metavar="SUBCOMMAND")
    isub.required = True
    add_command(isub, common, "list", cmd_instruments_list, "사용할 수 있는 도구 목록",
                human=lambda r: "\n".join(f"{x['id']:<28} {x['kind']:<10} {x['year']}  {x['title']}" for x in r))
    p = add_command(isub, common, "show", cmd_instruments_show, "도구의 내용을 보여 줍니다", human=_show_human,
                    example="schoolvault-cli instruments show sodi-example-2025 --json")
    p.add_argument("id")
    p = add_command(isub, common, "import", cmd_instruments_import, "도구 파일을 작업 파일에 가져옵니다",
                    human=_import_human,
                    example="schoolvault-cli instruments import 학생용.json 학부모용.json 교원용.json 직원용.json")
    p.add_argument("file", nargs="+",
                   help="도구 파일 (.yaml), 또는 교육청 평가문항 예시자료 (.xlsx, .json). "
                        "평가주체별 JSON 여러 개를 함께 주면 예시자료 하나가 됩니다")


def _register_stats(sub, common) -> None:
    p = add_command(sub, common, "stats", cmd_stats, "설문 통계 (문항·요인·영역, 집단별)", human=stats_human,
                    example="schoolvault-cli stats --instrument sodi-example-2025 --group 교원 --json / "
                     "stats --instrument seoul-eval-survey-2025 --period 중간 --by 학년 / "
                     "stats --instrument seoul-eval-survey-2025 --compare-periods")
    p.add_argument("--instrument", required=True)
    p.add_argument("--group")
    p.add_argument("--year", type=int)
    p.add_argument("--period", help="설문 시기: 중간(1학기 중간평가) 또는 학년말 (기본: 학년말)")
    p.add_argument("--by", metavar="구분", help="응답자 구분별로 나눠 보기: 학년 (학교 밖으로 못 나갈 칸 표시)")
    p.add_argument("--compare-periods", action="store_true", help="중간과 학년말의 영역·세부영역 결과를 나란히")


def _register_self_eval(sub, common) -> None:
    se = sub.add_parser("self-eval", help="지표별 자체평가")
    ssub = se.add_subparsers(dest="sub", metavar="SUBCOMMAND")
    ssub.required = True
    _register_self_eval_entry(ssub, common)
    _register_self_eval_composing(ssub, common)


def _register_self_eval_entry(ssub, common) -> None:
    """self-eval list, set and feature: what the school writes for each indicator and 세부영역."""
    add_command(ssub, common, "list", cmd_self_eval_list, "올해 선택한 지표와 평가 결과", human=_self_eval_human)
    p = add_command(ssub, common, "set", cmd_self_eval_set, "지표 평가 입력", human=_self_eval_set_human,
                    example="schoolvault-cli self-eval set 1-1-2 --rating 3 --evidence '학교교육계획서'")
    p.add_argument("code", help="지표 코드 또는 지표 이름")
    p.add_argument("--rating", help="등급 숫자 또는 이름 (예: 3, 우수)")
    p.add_argument("--evidence")
    p.add_argument("--achievements")
    p.add_argument("--shortcomings")
    p.add_argument("--improvements")
    p.add_argument("--midyear-status", choices=["on_track", "attention", "not_started"])
    p.add_argument("--midyear-note")
    p.add_argument("--support-needed", help="컨설팅장학 등 교육청 지원이 필요한 부분 (학교평가서 서식3-1)")
    p = add_command(ssub, common, "feature", cmd_self_eval_feature, "세부영역의 학교교육활동 특색사례 (학교평가서 서식3-1 (3))",
                    human=lambda r: f"특색사례를 저장했습니다: {r['subarea']} {r['title']}" if r.get("subarea") else
                    "\n".join(f"{f['subarea']} {f['title']}: {f['text'] or '(없음)'}" for f in r["features"]),
                    example="schoolvault-cli self-eval feature 3-2 --text '마을과 함께하는 생태 프로젝트' / self-eval feature")
    p.add_argument("subarea", nargs="?", help="세부영역 코드 또는 이름 (없으면 목록)")
    p.add_argument("--text", help="특색사례 내용 ('' 이면 지웁니다)")


def _register_self_eval_composing(ssub, common) -> None:
    """self-eval choose, link and carry: which indicators the year has and which survey items they read."""
    p = add_command(ssub, common, "choose", cmd_self_eval_choose, "올해 평가할 지표를 계획에 넣거나 뺍니다",
                    human=_choose_human,
                    example="schoolvault-cli self-eval choose --indicator 1-2-1 3-2-3 / (2026) self-eval choose "
                     "--subarea 2-1 \"함께 만드는 교육과정\" / self-eval choose --from-bank itembank-2026 \"AI\"")
    p.add_argument("--indicator", nargs="+", action="extend", help="지표 코드 또는 이름")
    p.add_argument("names", nargs="*", metavar="지표이름",
                   help="새로 구성할 지표 이름 (--subarea 또는 --from-bank와 함께)")
    p.add_argument("--subarea", help="지표를 넣을 세부영역 (예: 2-1)")
    p.add_argument("--from-bank", metavar="BANK", help="지표를 가져올 문항 예시자료 id (예: itembank-2026)")
    p.add_argument("--remove", action="store_true", help="계획에서 빼기")
    p.add_argument("--items", nargs="+", action="extend", metavar="설문:문항",
                   help="새 지표에 연결할 설문 문항 (예: seoul-eval-survey-2026:Q001,Q002)")
    p = add_command(ssub, common, "link", cmd_self_eval_link, "학교가 구성한 지표에 설문 문항을 연결합니다 (없으면 연결과 제안 보기)",
                    human=_link_human,
                    example="schoolvault-cli self-eval link 1-1-S1 --items seoul-eval-survey-2026:Q001,Q004 / "
                     "self-eval link 1-1-S1 --proposed / self-eval link 1-1-S1")
    p.add_argument("code", help="지표 코드 또는 이름 (예: 1-1-S1)")
    p.add_argument("--items", nargs="+", action="extend", metavar="설문:문항",
                   help="연결할 문항, 이전 연결을 바꿉니다 (예: seoul-eval-survey-2026:Q001,Q002 Q005)")
    p.add_argument("--proposed", action="store_true", help="제안된 문항(세부영역의 문항 중 다른 지표가 연결하지 않은 것)을 연결")
    p.add_argument("--clear", action="store_true", help="연결을 모두 지우기")
    p = add_command(ssub, common, "carry", cmd_self_eval_carry, "지난해 지표를 올해 세부영역에 옮깁니다 (확인한 것만)",
                    human=_carry_human, example="schoolvault-cli self-eval carry --place 3-3-1=3-2 --accept-proposed")
    _placement_options(p)


def _register_year(sub, common) -> None:
    """demo, check, status and new-year: the year as a whole."""
    p = add_command(sub, common, "demo", cmd_demo, "예시 데이터로 올해를 채웁니다 (지표 평가, 모든 설문 응답)",
                    human=lambda r: f"예시 데이터를 만들었습니다: 지표 {r['indicators']}개, 응답자 {r['respondents']}명")
    p.add_argument("--seed", type=int, default=1)

    p = add_command(sub, common, "check", cmd_check, "작업 파일 무결성 검사 (--submission: 제출 전 점검)",
                    human=_check_human, example="schoolvault-cli check --submission")
    p.add_argument("--submission", action="store_true",
                   help="교육청에 낼 파일을 만들기 전에 빠진 것(등급 없는 지표, 빈 평가 내용, 응답 없는 평가주체, "
                        "개인정보가 든 선택 의견)을 보여 줍니다")
    add_command(sub, common, "status", cmd_status, "올해 진행 상황 요약", human=_status_human)
    p = add_command(sub, common, "new-year", cmd_new_year, "올해를 바탕으로 다음 학년도를 시작합니다",
                    human=_carry_human, example="schoolvault-cli new-year --year 2026 --place 3-3-1=3-2 --accept-proposed")
    p.add_argument("--year", type=int)
    _placement_options(p)


def _placement_options(p) -> None:
    p.add_argument("--place", nargs="+", action="extend", default=[], metavar="지난해코드=세부영역",
                   help="지난해 지표를 넣을 올해 세부영역 (예: 3-3-1=3-2)")
    p.add_argument("--accept-proposed", action="store_true", help="제안된 세부영역을 그대로 받아들이기")


def cmd_init(args):
    from pathlib import Path

    from . import default_db
    db = Path(args.db) if args.db else default_db()
    with closing(services.init_workspace(db, name=args.school, level=args.level, district=args.district,
                                         year=args.year, code=args.code)) as ws:
        d = services.dashboard(ws)
    d["db"] = str(db)
    return d


def _maybe_ws(args):
    from pathlib import Path

    from . import default_db
    path = Path(args.db) if args.db else default_db()
    return open_ws(args) if path.exists() else None


def cmd_instruments_list(args):
    ws = _maybe_ws(args)
    try:
        return services.list_instruments(ws)
    finally:
        if ws is not None:
            ws.close()


def cmd_instruments_show(args):
    ws = _maybe_ws(args)
    try:
        return services.show_instrument(ws, args.id)
    finally:
        if ws is not None:
            ws.close()


def _show_human(d) -> str:
    """An outline a teacher can read (names to type after --indicator); the whole file with --json."""
    out = [f"{d['id']} — {d['title']} ({d.get('year', '')})"]
    if d["kind"] == "itembank":
        names: dict[str, dict[str, list[str]]] = {}
        for st in d["sets"]:
            names.setdefault(st["subarea"], {}).setdefault(st["indicator"], []).append(st["group"] or "평가주체 공통")
        out.append(f"지표 {sum(len(v) for v in names.values())}개, 지표 × 응답 집단 {len(d['sets'])}개")
        for sub, inds in names.items():
            out.append(sub)
            out += [f"  {name}  [{', '.join(groups)}]" for name, groups in inds.items()]
    elif d["kind"] == "guidebook":
        for a in d["areas"]:
            out.append(f"{a['code']}. {a['title']}")
            for sa in a["subareas"]:
                out.append(f"  {sa['code']} {sa['title']}")
                out += [f"    {i['code']} {i['title']}" + (" (공통)" if i.get("type") == "common" else "")
                        for i in sa["indicators"]]
    elif d["kind"] == "survey":
        out.append(f"응답 집단: {', '.join(d['groups'])} · {d['scale']['points']}점 척도")
        for dom in d["domains"]:
            out.append(f"{dom['code']} {dom['title']}")
            for f in dom["factors"]:
                out.append(f"  {f['code']} {f['title']}")
                out += [f"    {i['code']} {i['text']}" for i in f["items"]]
        out += [f"  {q['code']} (서술형) {q['text']}" for q in d.get("open_questions") or ()]
    else:
        import json
        return json.dumps(d, ensure_ascii=False, indent=2)
    out.append("(파일 전체는 --json)")
    return "\n".join(out)


def cmd_instruments_import(args):
    with closing(open_ws(args)) as ws:
        return services.import_instrument(ws, *args.file)


def _import_human(r) -> str:
    out = [f"가져왔습니다: {r['id']} ({r['kind']}) {r['title']}"]
    if "rows" in r:
        who = ", ".join(r["groups"]) + (" + 평가주체 공통" if r["groups"] and r["pool"] else "")
        out.append(f"문항 {r['rows']}행 → 지표 × 평가주체 {r['sets']}개 ({who or '평가주체 공통'})")
    if r.get("corrections"):
        out.append(f"같은 평가지표가 다른 행에서 놓인 자리에 맞춰 바로잡은 행 {len(r['corrections'])}개:")
        out += [f"  {c['file']} " + (f"'{c['sheet']}' 시트 {c['row']}행" if c["sheet"] else f"{c['row']}번째 항목")
                + f" '{c['indicator']}': {c['column']} '{c['from']}' → '{c['to']}'" for c in r["corrections"]]
    if r.get("skipped_sheets"):
        out.append("문항이 아니라서 건너뛴 시트: " + ", ".join(r["skipped_sheets"]))
    return "\n".join(out)


def cmd_stats(args):
    if args.compare_periods and (args.period or args.by):
        raise SchoolVaultError("--compare-periods는 --period, --by와 함께 쓸 수 없습니다.",
                               hint="두 시기 비교는 --compare-periods만, 한 시기의 학년별 결과는 --period 중간 --by 학년처럼 쓰세요.")
    period = args.period or DEFAULT_PERIOD
    with closing(open_ws(args, readonly=False)) as ws:
        if args.compare_periods:
            return services.compare_periods(ws, args.instrument, args.group, args.year)
        if args.by:
            return services.stats_by(ws, args.instrument, args.by.strip(), args.group, args.year, period)
        return services.stats(ws, args.instrument, args.group, args.year, period)


def cmd_self_eval_list(args):
    with closing(open_ws(args)) as ws:
        return services.self_eval_list(ws)


def _self_eval_human(rows) -> str:
    if not rows:
        return "올해 선택한 지표가 없습니다."
    return "\n".join(f"{r['indicator']:<8} {(r['rating_label'] or '미입력'):<6} {r['title']}" for r in rows)


def _self_eval_set_human(r) -> str:
    rating = f"{r['rating_label']}({r['rating']})" if r.get("rating") else "등급 미입력"
    return f"저장했습니다: {r['indicator']} {r['title']} — {rating}"


def _status_human(r) -> str:
    from ..workspace.school import STAGE_LABELS
    sc = r["school"]
    stage = STAGE_LABELS.get(r["stage"], r["stage"])
    lines = [f"{sc['name']} ({sc['level']} · {sc['district']}) {r['year']}학년도 — 단계: {stage}",
             f"지표: 선택 {r['indicators_chosen']}개, 등급 입력 {r['indicators_rated']}개, 중간점검 {r['midyear_checked']}개"]
    if not r["responses"]:
        lines.append("설문 응답: 아직 없음 (import-responses로 가져오세요)")
    for period, by_inst in r["responses_by_period"]:
        for inst, groups in by_inst.items():
            lines.append(f"설문 응답 {inst} ({period}): " + ", ".join(f"{g} {n}명" for g, n in groups.items()))
    lines += [f"※ {w}" for w in r.get("coverage", [])]
    return "\n".join(lines)


def cmd_self_eval_set(args):
    texts = {k: getattr(args, k) for k in ("evidence", "achievements", "shortcomings", "improvements",
                                            "midyear_status", "midyear_note", "support_needed")}
    if args.rating is None and all(v is None for v in texts.values()):
        raise SchoolVaultError("바꿀 내용이 없습니다.", hint="--rating이나 --evidence 등을 함께 적으세요.")
    with closing(open_ws(args)) as ws:
        return services.self_eval_set(ws, args.code, rating=args.rating, **texts)


def cmd_self_eval_feature(args):
    with closing(open_ws(args)) as ws:
        if args.subarea is None:
            return {"features": services.self_eval_features(ws)}
        if args.text is None:
            raise SchoolVaultError("저장할 특색사례가 없습니다.", hint="--text에 내용을 적으세요 (예: --text '생태 프로젝트').")
        return services.self_eval_set_feature(ws, args.subarea, args.text)


def cmd_self_eval_choose(args):
    if args.names and not (args.subarea or args.from_bank):
        raise SchoolVaultError("지표 이름을 어느 세부영역에 넣을지 모릅니다.",
                               hint="--subarea 2-1 \"지표 이름\" 또는 --from-bank itembank-2026 \"지표 이름\"처럼 적으세요. "
                                    "이미 있는 지표를 고를 때는 --indicator를 쓰세요.")
    if (args.subarea or args.from_bank) and not args.names:
        raise SchoolVaultError("넣을 지표 이름이 없습니다.", hint="예: self-eval choose --subarea 2-1 \"함께 만드는 교육과정\"")
    if args.items and not args.names:
        raise SchoolVaultError("--items는 새로 구성하는 지표에 씁니다.",
                               hint="이미 있는 지표에는 'self-eval link 코드 --items 설문:문항'을 쓰세요.")
    if not args.indicator and not args.names:
        raise SchoolVaultError("고를 지표가 없습니다.",
                               hint="--indicator 1-2-1 처럼 적거나, 새 지표는 --subarea 2-1 \"지표 이름\"으로 적으세요.")
    with closing(open_ws(args)) as ws:
        out: dict = {"indicators": [], "chosen": not args.remove}
        if args.indicator:
            out["indicators"] = services.choose_indicators(ws, args.indicator, not args.remove)
        if args.names:
            out["composed"] = [composing.compose_indicator(ws, title=name, subarea=args.subarea,
                                                           bank_id=args.from_bank, items=args.items)
                               for name in args.names]
            out["indicators"] += [c["indicator"] for c in out["composed"]]
        return out


def cmd_self_eval_link(args):
    given = sum(bool(x) for x in (args.items, args.proposed, args.clear))
    if given > 1:
        raise SchoolVaultError("--items, --proposed, --clear 중 하나만 쓰세요.", hint="예: self-eval link 1-1-S1 --proposed")
    with closing(open_ws(args)) as ws:
        if given:
            out = composing.link_items(ws, args.code, [] if args.clear else args.items, proposed=args.proposed)
        else:
            gb = services.year_guidebook(ws)
            ind = services.find_indicator(gb, args.code)
            out = {"indicator": ind.code, "title": ind.title, "subarea": gb.locate(ind.code)[1].code,
                   "survey_items": list(ind.survey_items)}
        out["items"] = composing.linkable_items(ws, out["subarea"], indicator=out["indicator"])
        out["changed"] = bool(given)
        return out


def _link_human(r) -> str:
    n = len(r["survey_items"])
    lines = [f"{r['indicator']} {r['title']}: " + (f"설문 문항 {n}개를 연결했습니다." if r["changed"] else
                                                   f"연결된 설문 문항 {n}개" if n else "연결된 설문 문항이 없습니다.")]
    if not r["items"]:
        lines.append("  올해 교육공동체 설문에 이 세부영역의 문항이 없습니다.")
    for it in r["items"]:
        mark = "[연결]" if it["linked"] else ("[제안]" if it["proposed"] and not r["changed"] else "      ")
        other = f" (→ {', '.join(it['linked_to'])})" if it["linked_to"] else ""
        lines.append(f"  {mark} {it['link']} {it['text']} [{', '.join(it['groups'])}]{other}")
    if not r["changed"] and any(it["proposed"] and not it["linked"] for it in r["items"]):
        lines.append(f"제안을 연결하려면: self-eval link {r['indicator']} --proposed")
    return "\n".join(lines)


def _choose_human(r) -> str:
    lines = [f"{c['indicator']} {c['title']} → {c['subarea']} {c['subarea_title']}에 넣었습니다."
             + (f" (설문 문항 {len(c['survey_items'])}개 연결)" if c.get("survey_items") else
                f" 관련 설문 문항은 'self-eval link {c['indicator']}'로 연결하세요.")
             for c in r.get("composed", [])]
    others = [c for c in r["indicators"] if c not in {x["indicator"] for x in r.get("composed", [])}]
    if others:
        lines.append(("계획에 넣었습니다: " if r["chosen"] else "계획에서 뺐습니다: ") + ", ".join(others))
    return "\n".join(lines)


def _carry_human(r) -> str:
    lines = [f"{r['year']}학년도를 시작했습니다."] if "started" in r else []
    for c in r.get("carried", []):
        lines.append(f"  옮김: {c['indicator']} {c['title']} → {c['to']} ({c['subarea']} {c['subarea_title']})")
    if r.get("not_carried"):
        lines.append(r["message"])
        for x in r["not_carried"]:
            where = (f"제안: {x['proposed']} {x['proposed_title']}" if x["proposed"] else
                     "제안 없음" + (" (비슷한 세부영역: " + ", ".join(f"{c['subarea']} {c['title']}" for c in x["candidates"])
                                  + ")" if x["candidates"] else ""))
            lines.append(f"  - {x['indicator']} {x['title']} [{x['from_subarea']}] → {where}")
    elif r.get("placement_needed") and not r.get("carried"):
        lines.append("옮길 지난해 지표가 없습니다.")
    return "\n".join(lines)


def cmd_self_eval_carry(args):
    with closing(open_ws(args)) as ws:
        return composing.carry_indicators(ws, place=composing.parse_place(args.place),
                                          accept_proposed=args.accept_proposed)


def cmd_demo(args):
    from ..demo import fill_demo
    with closing(open_ws(args)) as ws:
        return fill_demo(ws, seed=args.seed)


def _check_human(r) -> str:
    if "submission" in r:
        if not r["submission"]:
            return "제출 전 점검: 빠진 것이 없습니다."
        return "\n".join([f"제출 전 점검: 확인할 것 {len(r['submission'])}개 (그래도 파일을 만들 수 있습니다)"]
                         + [f"- [{p['label']}] {p['text']}" for p in r["submission"]])
    return "\n".join(["작업 파일에 문제가 없습니다."] + [f"※ {w}" for w in r.get("warnings", [])])


def cmd_check(args):
    if getattr(args, "submission", False):
        with closing(open_ws(args)) as ws:
            return {"submission": readiness.pre_submission_check(ws)}
    with closing(open_ws(args, readonly=False)) as ws:
        problems = services.check(ws)
        warnings = composing.coverage_of_year(ws) if not problems else []
    if problems:
        raise SchoolVaultError("작업 파일에 문제가 있습니다: " + "; ".join(problems[:5]),
                               hint="백업에서 복원하세요 (restore 명령).")
    return {"ok": True, **({"warnings": warnings} if warnings else {})}  # warnings never fail the check


def cmd_status(args):
    with closing(open_ws(args)) as ws:
        return {**services.dashboard(ws), "coverage": composing.coverage_of_year(ws)}


def cmd_new_year(args):
    with closing(open_ws(args)) as ws:
        out = composing.start_new_year(ws, args.year, place=composing.parse_place(args.place),
                                       accept_proposed=args.accept_proposed)
    return {**out, "started": True}
