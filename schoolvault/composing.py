"""The school's 평가지표 of a composed year (2026 on) and last year's indicators placed in its 세부영역.

From 2026 the 세부영역 are fixed and the school composes its 평가지표 under each, typed or taken from the
examples of an imported item bank (예시자료) whose 세부영역 matches. Each composed indicator is a school
indicator (self_eval.add_custom_indicator, code "<세부영역>-S<n>"), so self-evaluation, the mid-year check,
환류 and the reports treat it like any other indicator.

Starting such a year from one with other 세부영역 never carries indicators silently: `carry_proposals` lists
where each of last year's chosen indicators would go (by `forms.labels.place_label`), and only what the
user confirms (`place`, or `accept_proposed`) is carried, remembering its origin for 환류.
"""

from __future__ import annotations

import json
from typing import cast

from . import catalog, itembank, reads, self_eval, years
from .errors import SchoolVaultError
from .forms.labels import (
    EARLIER,
    EXACT,
    coverage_warnings,
    place_label,
    plain,
    subarea_label,
)
from .forms.model import Guidebook, ItemBank, Survey
from .workspace import responses, selfeval
from .workspace import school as school_db
from .workspace.db import Workspace

MAX_EXAMPLES = 5  # example sentences shown with a bank indicator when choosing


def subarea_list(gb: Guidebook) -> str:
    return ", ".join(f"{s.code} {s.title}" for a in gb.areas for s in a.subareas)


def resolve_subarea(gb: Guidebook, key: str) -> str:
    """This year's 세부영역 code for a code ("3-2") or a label ("Ⅲ-2. 미래역량 교육"); Korean error otherwise."""
    p = place_label(gb, key)
    if p.kind == EXACT and p.subarea is not None:
        return p.subarea
    if p.kind == EARLIER:
        raise SchoolVaultError(f"'{key}'은(는) {p.earlier_year}학년도 세부영역입니다.",
                               hint=f"{gb.year}학년도에는 {p.subarea} {p.subarea_title}에 해당합니다. "
                                    f"{p.subarea}(으)로 적으세요.")
    near = "".join(f"비슷한 세부영역: {', '.join(f'{c} {t}' for c, t in p.candidates)}. " if p.candidates else "")
    raise SchoolVaultError(f"세부영역 '{key}'이(가) {gb.year}학년도에 없습니다.",
                           hint=f"{near}다음 중 하나를 쓰세요: {subarea_list(gb)}")


def _subarea_title(gb: Guidebook, code: str) -> str:
    return next(s.title for a in gb.areas for s in a.subareas if s.code == code)


# ---------------------------------------------------------------- composing

def bank_examples(ws: Workspace, subarea: str | None = None) -> list[dict]:
    """Indicators of the imported item banks with the 세부영역 of this year their label places them in.

    Each: bank, indicator name, the bank's 세부영역 label, its placement (exact, or an earlier year's label
    offered to a 세부영역), up to MAX_EXAMPLES example sentences and whether it is in the plan already.
    With `subarea`, only those placed (exactly or as offered) in that 세부영역."""
    _, year = reads.require_school(ws)
    gb = reads.year_guidebook(ws, year)
    taken = {(s.code, plain(i.title)) for a in gb.areas for s in a.subareas for i in s.indicators}
    out = []
    for av in catalog.available(ws):
        bank = av.instrument
        if not isinstance(bank, ItemBank):
            continue
        rows: dict[str, dict] = {}
        for st in bank.sets:
            row = rows.get(st.indicator)
            if row is None:
                p = place_label(gb, st.subarea)
                row = rows[st.indicator] = {
                    "bank": bank.id, "bank_title": bank.title, "bank_year": bank.year, "indicator": st.indicator,
                    "label": st.subarea, "subarea": p.subarea, "placement": p.to_dict(), "examples": [],
                    "taken": (p.subarea, plain(st.indicator)) in taken}
            for text in st.items:
                if text not in row["examples"] and len(row["examples"]) < MAX_EXAMPLES:
                    row["examples"].append(text)
        out += [r for r in rows.values() if subarea is None or r["subarea"] == subarea]
    return out


def compose_indicator(ws: Workspace, *, title: str, subarea: str | None = None,
                      bank_id: str | None = None, items: list[str] | None = None) -> dict:
    """Put a 평가지표 in this year's plan under a 세부영역: typed (`subarea` + `title`) or an item bank's
    indicator (`bank_id` + its name), placed by the bank's 세부영역 unless `subarea` says where.
    `items` links survey items to it ("INSTRUMENT:ITEM", see `link_items`); checked before anything is written.

    An earlier year's or unknown bank label is not placed silently: SchoolVaultError asks for `subarea`."""
    _, year = reads.require_school(ws)
    gb = reads.year_guidebook(ws, year)
    links = check_links(ws, parse_items(items)) if items else []
    code = resolve_subarea(gb, subarea) if subarea else None
    origin = None
    if bank_id:
        bank = itembank.get_bank(ws, bank_id)
        name = itembank.find_indicator_name(bank, title)
        label = next(s.subarea for s in bank.sets if s.indicator == name)
        if code is None:
            p = place_label(gb, label)
            if p.kind == EARLIER:
                raise SchoolVaultError(f"예시자료의 세부영역 '{label}'은(는) {p.earlier_year}학년도 이름입니다.",
                                       hint=f"{gb.year}학년도 {p.subarea} {p.subarea_title}에 넣으려면 "
                                            f"--subarea {p.subarea}를 함께 적으세요.")
            if p.kind != EXACT:
                raise SchoolVaultError(f"예시자료의 세부영역 '{label}'이(가) {gb.year}학년도 세부영역에 없습니다.",
                                       hint=f"--subarea로 넣을 세부영역을 적으세요: {subarea_list(gb)}")
            code = p.subarea
        title, origin = name, {"bank": bank.id, "indicator": name, "label": label}
    if code is None:
        raise SchoolVaultError("지표를 넣을 세부영역을 정하세요.",
                               hint=f"--subarea 2-1 처럼 적거나 --from-bank로 예시자료의 지표를 고르세요. "
                                    f"세부영역: {subarea_list(gb)}")
    title = " ".join(str(title).split())
    if not title:
        raise SchoolVaultError("지표 이름이 비어 있습니다.", hint="지표 이름을 적으세요.")
    same = next((i for a in gb.areas for s in a.subareas if s.code == code for i in s.indicators
                 if plain(i.title) == plain(title)), None)
    if same is not None:
        entry = selfeval.entry(ws, year, same.code)
        if entry is not None and entry.chosen:
            raise SchoolVaultError(f"'{title}'은(는) 이미 {code} 세부영역에 있습니다 ({same.code}).",
                                   hint="다른 이름을 쓰거나 이미 있는 지표를 평가하세요.")
        with ws.transaction():
            self_eval.choose_indicators(ws, [same.code], True)  # taken out earlier with its texts kept
            if links:
                _save_links(ws, year, same.code, links)
        new = same.code
    else:
        new = self_eval.add_custom_indicator(ws, subarea=code, title=title, origin=origin, survey_items=links)
    return {"indicator": new, "title": title, "subarea": code, "subarea_title": _subarea_title(gb, code),
            "from_bank": bank_id, "survey_items": links}


# ---------------------------------------------------------------- survey items of a composed 평가지표
#
# One rule: a 평가지표 is evidenced by the survey items it links ("INSTRUMENT:ITEM" in its `survey_items`;
# "INSTRUMENT:*" = the whole survey) and by items whose `indicator` field names it. A composed 평가지표 links
# the items the school ticks; the items offered are those of the year's 교육공동체 surveys in the factor whose
# title is the 평가지표's 세부영역 (`forms.labels.place_label`), and the proposal is those of them no other
# 평가지표 of the year links yet. The 자체평가 page's 관련 설문 결과, the reports and 서식3-2 read the links.

def parse_items(values) -> list[str]:
    """["seoul-eval-survey-2026:Q001,Q002", "Q003"] → ["seoul-eval-survey-2026:Q001", …, "…:Q003"]: an item
    without its survey belongs to the survey named before it; commas and spaces separate."""
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    survey = None
    for v in values or ():
        for part in str(v).replace(",", " ").split():
            sid, sep, item = part.rpartition(":")
            if sep:
                survey = sid.strip() or survey
            if survey is None:
                raise SchoolVaultError(f"문항 '{part}'이(가) 어느 설문의 것인지 모릅니다.",
                                       hint="설문 id를 앞에 붙이세요. 예: seoul-eval-survey-2026:Q001,Q002")
            link = f"{survey}:{item.strip()}"
            if item.strip() and link not in out:
                out.append(link)
    return out


def check_links(ws: Workspace, links: list[str]) -> list[str]:
    """The links as given when every survey and item exists; a Korean error naming the first that does not."""
    for link in links:
        sid, _, code = link.partition(":")
        survey = reads.survey(ws, sid)
        if code == "*":
            continue
        codes = [i.code for i in survey.items()]
        if code not in codes:
            near = [c for c in codes if c.casefold() == code.casefold() or c.lstrip("Q0") == code.lstrip("Qq0")]
            raise SchoolVaultError(f"설문 '{sid}'에 문항 '{code}'이(가) 없습니다.",
                                   hint=(f"'{sid}:{near[0]}'을(를) 말한 것인가요? " if near else "")
                                   + f"문항 코드는 'instruments show {sid}'로 확인하세요.")
    return links


def _save_links(ws: Workspace, year: int, code: str, links: list[str]) -> None:
    row = next((r for r in selfeval.custom_indicators(ws, year) if r[0] == code), None)
    if row is None:
        raise SchoolVaultError(f"'{code}'은(는) 가이드북의 지표라 설문 문항을 여기서 연결할 수 없습니다.",
                               hint="가이드북 지표의 관련 문항은 가이드북 파일의 survey_items나 설문 문항의 indicator로 정합니다.")
    definition = json.loads(row[2])
    if links:
        definition["survey_items"] = links
    else:
        definition.pop("survey_items", None)
    selfeval.save_custom_indicator(ws, year, code, row[1], json.dumps(definition, ensure_ascii=False))


def linkable_items(ws: Workspace, subarea: str, *, indicator: str | None = None) -> list[dict]:
    """The items a 평가지표 of `subarea` may link: the year's 교육공동체 surveys' items in the factor whose
    title is that 세부영역. Each: link, survey, item, text, groups, the other 평가지표 linking it (`linked_to`),
    whether `indicator` links it (`linked`) and whether it is proposed (linked by no other 평가지표)."""
    _, year = reads.require_school(ws)
    gb = reads.year_guidebook(ws, year)
    code = resolve_subarea(gb, subarea)
    own = set(gb.indicator(indicator).survey_items) if indicator else set()
    by_link: dict[str, list[str]] = {}
    for ind in gb.indicators():
        if ind.code != indicator:
            for link in ind.survey_items:
                by_link.setdefault(link, []).append(ind.code)
    out = []
    for survey in reads.year_surveys(ws, year):
        for f in survey.factors():
            if place_label(gb, f.title).subarea != code or place_label(gb, f.title).kind != EXACT:
                continue
            for item in f.items:
                link = f"{survey.id}:{item.code}"
                others = by_link.get(link, []) + [i for i in ([item.indicator] if item.indicator else [])
                                                  if i != indicator]
                out.append({"link": link, "survey": survey.id, "survey_title": survey.title, "item": item.code,
                            "text": item.text, "groups": list(item.groups or survey.groups), "factor": f.title,
                            "linked_to": others, "linked": link in own, "proposed": not others})
    return out


def proposed_items(ws: Workspace, subarea: str, *, indicator: str | None = None) -> list[str]:
    """The links proposed for a 평가지표 of `subarea`: its factor's items no other 평가지표 links yet."""
    return [r["link"] for r in linkable_items(ws, subarea, indicator=indicator) if r["proposed"]]


def link_items(ws: Workspace, code: str, items: list[str] | None = None, *, proposed: bool = False) -> dict:
    """Set the survey items a school 평가지표 links (replacing earlier links; [] clears them), or with
    `proposed` the proposal of `proposed_items`. Returns the indicator and its links."""
    _, year = reads.require_school(ws)
    gb = reads.year_guidebook(ws, year)
    ind = reads.find_indicator(gb, code)
    sub = gb.locate(ind.code)[1].code
    if proposed:
        links = proposed_items(ws, sub, indicator=ind.code)
        if not links:
            raise SchoolVaultError(f"{ind.code}에 제안할 설문 문항이 없습니다.",
                                   hint="이 세부영역의 문항이 모두 다른 지표에 연결되어 있거나 올해 설문에 없습니다. "
                                        f"'self-eval link {ind.code}'로 문항을 보고 --items로 고르세요 "
                                        "(한 문항을 여러 지표에 연결할 수 있습니다).")
    else:
        links = check_links(ws, parse_items(items or []))
    with ws.transaction():
        _save_links(ws, year, ind.code, links)
        ws.audit("link_items", indicator=ind.code, items=links)
    return {"indicator": ind.code, "title": ind.title, "subarea": sub, "survey_items": links}


def remove_indicator(ws: Workspace, code: str) -> dict:
    """Take a school indicator out of the year's plan: deleted when nothing was written for it, otherwise
    only unchosen so the typed text is kept (choosing it again brings it back)."""
    _, year = reads.require_school(ws)
    gb = reads.year_guidebook(ws, year)
    ind = reads.find_indicator(gb, code)
    if "-S" not in ind.code:
        raise SchoolVaultError(f"'{ind.code}'은(는) 가이드북의 지표라 지울 수 없습니다.",
                               hint="'self-eval choose --indicator 코드 --remove'로 계획에서 빼세요.")
    e = selfeval.entry(ws, year, ind.code)
    written = e is not None and (e.rating is not None or e.midyear_status is not None
                                 or any(getattr(e, f) for f in selfeval.TEXT_FIELDS))
    with ws.transaction():
        if written:
            selfeval.set_chosen(ws, year, ind.code, False)
        else:
            selfeval.delete_custom_indicator(ws, year, ind.code)
        ws.audit("remove_indicator", indicator=ind.code, deleted=not written)
    return {"indicator": ind.code, "title": ind.title, "deleted": not written}


# ---------------------------------------------------------------- last year's indicators in a new structure

def _origins(ws: Workspace, year: int) -> dict[str, dict]:
    out = {}
    for code, _sub, definition in selfeval.custom_indicators(ws, year):
        origin = json.loads(definition).get("origin") or {}
        if "year" in origin and "indicator" in origin:
            out[code] = origin
    return out


def previous_codes(ws: Workspace, year: int) -> dict[str, str]:
    """Indicator code of this year → the code it continues from last year, where it was carried by
    placement (환류 finds last year's rating and improvement plan through it)."""
    return {code: o["indicator"] for code, o in _origins(ws, year).items()}


def carry_proposals(ws: Workspace, year: int | None = None) -> dict:
    """Where last year's chosen indicators would go in `year`'s 세부영역 (nothing is changed).

    Before `year` is started: from the current year into the guidebook `year` would use; after: from the
    year before it into its own guidebook, without those already carried. `needed` is False when the
    years share their 세부영역 (indicators then carry by code, as before 2026)."""
    _, cur = reads.require_school(ws)
    opened = school_db.years(ws)
    year = year or cur + 1
    if year in opened:
        earlier = [y for y in opened if y < year]
        if not earlier:
            return {"from_year": None, "to_year": year, "needed": False, "rows": []}
        from_year, gb = earlier[-1], reads.year_guidebook(ws, year)
    else:
        from_year, gb = cur, cast(Guidebook, years.guidebook_for_year(ws, year).instrument)
    if not years.needs_placement(ws, gb, from_year):
        return {"from_year": from_year, "to_year": year, "needed": False, "rows": []}
    done = {o["indicator"] for o in _origins(ws, year).values() if o["year"] == from_year} if year in opened else set()
    prev_gb = reads.year_guidebook(ws, from_year)
    rows = []
    for e in selfeval.entries(ws, from_year):
        if e.indicator in done:
            continue
        try:
            area, sub, ind = prev_gb.locate(e.indicator)
        except KeyError:
            continue
        p = place_label(gb, subarea_label(area.code, sub))
        rows.append({"indicator": ind.code, "title": ind.title, "from_subarea": p.label,
                     "proposed": p.subarea, "proposed_title": p.subarea_title, "kind": p.kind,
                     "candidates": [{"subarea": c, "title": t} for c, t in p.candidates],
                     "note": p.describe()})
    return {"from_year": from_year, "to_year": year, "needed": True, "rows": rows,
            "subareas": [{"subarea": s.code, "title": s.title} for a in gb.areas for s in a.subareas]}


def carry_indicators(ws: Workspace, *, place: dict[str, str] | None = None, accept_proposed: bool = False) -> dict:
    """Carry last year's indicators the user placed (`place`: last year's code → this year's 세부영역) or
    whose proposal they accept, into the current year. Everything is checked before anything is written."""
    _, year = reads.require_school(ws)
    prop = carry_proposals(ws, year)
    place = dict(place or {})
    if not prop["needed"]:
        if place:
            raise SchoolVaultError("옮길 지난해 지표가 없습니다.",
                                   hint="이 학년도는 지난해와 세부영역이 같아 지표를 코드 그대로 이어받습니다.")
        return {"year": year, "from_year": prop["from_year"], "placement_needed": False, "carried": [],
                "not_carried": [], "message": ""}
    gb = reads.year_guidebook(ws, year)
    rows = {r["indicator"]: r for r in prop["rows"]}
    targets: dict[str, str] = {}
    for old, target in place.items():
        if old not in rows:
            raise SchoolVaultError(f"{prop['from_year']}학년도 계획에서 옮길 지표 '{old}'이(가) 없습니다 "
                                   "(이미 옮겼거나 계획에 없던 지표).",
                                   hint="옮길 수 있는 지표: " + (", ".join(f"{c} {r['title']}" for c, r in rows.items())
                                                             or "없음 (이미 모두 옮겼습니다)"))
        targets[old] = resolve_subarea(gb, target)
    if accept_proposed:
        for code, r in rows.items():
            if code not in targets and r["proposed"]:
                targets[code] = r["proposed"]
    prev_gb = reads.year_guidebook(ws, prop["from_year"])
    carried = []
    with ws.transaction():
        for old, target in targets.items():
            ind = prev_gb.indicator(old)
            new = self_eval.add_custom_indicator(
                ws, subarea=target, title=ind.title, criteria=list(ind.criteria),
                rubric=list(ind.rubric) if len(ind.rubric) == gb.rating.points else [],
                evidence=list(ind.evidence), origin={"year": prop["from_year"], "indicator": old})
            carried.append({"indicator": old, "title": ind.title, "to": new, "subarea": target,
                            "subarea_title": _subarea_title(gb, target)})
    left = [r for code, r in rows.items() if code not in targets]
    message = ""
    if left:
        message = (f"{prop['from_year']}학년도 지표 {len(left)}개는 {year}학년도 세부영역이 달라 확인 없이 옮기지 않았습니다. "
                   "제안을 확인한 뒤 'self-eval carry --accept-proposed' 또는 "
                   "'self-eval carry --place 지난해코드=세부영역'으로 옮기세요.")
    return {"year": year, "from_year": prop["from_year"], "placement_needed": True, "carried": carried,
            "not_carried": left, "message": message}


def start_new_year(ws: Workspace, year: int | None = None, *, place: dict[str, str] | None = None,
                   accept_proposed: bool = False) -> dict:
    """새 학년도 시작 with placements: the year starts and the confirmed indicators are carried, all or nothing."""
    with ws.transaction():
        started = years.new_year(ws, year)
        out = carry_indicators(ws, place=place, accept_proposed=accept_proposed)
    out["year"] = started
    return out


def parse_place(values: list[str]) -> dict[str, str]:
    """["3-3-1=3-2", …] → {"3-3-1": "3-2"}; a Korean error for a malformed pair."""
    out = {}
    for v in values:
        old, sep, new = v.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise SchoolVaultError(f"'{v}'은(는) '지난해코드=세부영역' 형식이 아닙니다.", hint="예: --place 3-3-1=3-2")
        out[old.strip()] = new.strip()
    return out


# ---------------------------------------------------------------- coverage of the year's surveys

def coverage_of_year(ws: Workspace, year: int | None = None) -> list[str]:
    """Coverage warnings (가이드북 Q9) for the guidebook-scored surveys the year uses: those with answers
    this year and those the school built for this year. Warnings only; nothing is refused."""
    if year is None:
        year = school_db.current_year(ws)
        if year is None:  # a district office's workspace: no school year to check
            return []
    gb = reads.year_guidebook(ws, year)
    answered = set(responses.response_counts(ws, year))
    out = []
    for av in catalog.available(ws):
        s = av.instrument
        if not isinstance(s, Survey) or not (s.id in answered or (av.source == "created" and s.year == year)):
            continue
        out += [f"{s.id}: {w}" for w in coverage_warnings(gb, s)]
    return out
