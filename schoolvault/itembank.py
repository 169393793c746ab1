"""Questionnaires built from the official item bank (학교평가문항 예시자료).

The bank is imported as is (`instruments import`); a survey is built by choosing indicators —
by name (either middle dot ‧ or ·, any spacing, a unique part of the name) or by guidebook code —
and one sentence per indicator (or the sentences the user picked). Each item is linked to its
guidebook indicator. A set without 평가주체 (group None: the 2026 pool) offers its sentences to
whichever groups are chosen, one item per chosen group, each editable later.
"""

from __future__ import annotations

import re

from . import catalog, reads
from .errors import SchoolVaultError
from .forms.groups import GROUPS, canonical_group
from .forms.labels import coverage_warnings
from .forms.model import Domain, Factor, Item, ItemBank, ItemBankSet, Scale, Survey
from .importing.itembank_files import MIDDLE_DOTS
from .importing.survey_from import store_survey
from .importing.values import FAMILIES
from .workspace.db import Workspace

DEFAULT_ITEMS_PER_INDICATOR = 1
_PLACEHOLDER = re.compile(r"OO|ＯＯ|○○|◯◯")


def plain(text: str) -> str:
    """A name compared without spaces and with one kind of middle dot (the bank mixes ‧ and ·)."""
    return MIDDLE_DOTS.sub("·", "".join(str(text).split()))


def get_bank(ws: Workspace | None, bank_id: str) -> ItemBank:
    inst = catalog.resolve(ws, bank_id).instrument
    if not isinstance(inst, ItemBank):
        raise SchoolVaultError(f"'{bank_id}'은(는) 문항 예시자료가 아닙니다.",
                               hint="'instruments import 파일.json'으로 가져온 예시자료 id를 쓰세요 (예: itembank-2025).")
    return inst


def indicator_names(bank: ItemBank) -> list[str]:
    seen: dict[str, None] = {}
    for s in bank.sets:
        seen.setdefault(s.indicator, None)
    return list(seen)


def find_indicator_name(bank: ItemBank, key: str, guidebook=None) -> str:
    """The bank's indicator name for a name, a unique part of one, or a guidebook code (1-1-2)."""
    names = indicator_names(bank)
    k = plain(key)
    for n in names:
        if plain(n) == k:
            return n
    if guidebook is not None:
        try:
            title = guidebook.indicator(key.strip()).title
        except KeyError:
            title = None
        if title is not None:
            for n in names:
                if plain(n) == plain(title):
                    return n
    hits = [n for n in names if k and k in plain(n)]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise SchoolVaultError(f"'{key}'에 맞는 지표가 여러 개입니다.", hint="다음 중 하나를 고르세요: " + ", ".join(hits))
    near = reads.close_titles(key, names)
    raise SchoolVaultError(f"문항 예시자료에 지표 '{key}'이(가) 없습니다.",
                           hint=("비슷한 지표: " + ", ".join(near) + ". " if near else "")
                           + f"'instruments show {bank.id}'로 지표 이름을 확인하세요.")


def set_for(bank: ItemBank, indicator: str, group: str) -> ItemBankSet | None:
    """The indicator's sentences for the group: its own set, else the pool's (group None), else None."""
    sets = [s for s in bank.sets if s.indicator == indicator]
    return next((s for s in sets if s.group == group), None) or next((s for s in sets if s.group is None), None)


def find_set(bank: ItemBank, indicator: str, group: str) -> ItemBankSet:
    s = set_for(bank, indicator, group)
    if s is not None:
        return s
    raise SchoolVaultError(f"지표 '{indicator}'에는 {group}용 문항이 없습니다.",
                           hint="이 지표의 응답 집단: " + ", ".join(s.group or "공통" for s in bank.sets
                                                               if s.indicator == indicator))


def sets_overview(bank: ItemBank) -> list[dict]:
    """Areas → indicators with the groups that have sentences, for choosing in the GUI or CLI.

    A pool's sentences (group None) are offered to every group that has none of its own; `pool` says
    the indicator has such sentences."""
    out: dict[str, dict] = {}
    for s in bank.sets:
        d = out.setdefault(s.indicator, {"area": s.area, "subarea": s.subarea, "indicator": s.indicator,
                                         "groups": {}, "pool": False})
        if s.group is not None:
            d["groups"][s.group] = list(s.items)
    for s in bank.sets:
        if s.group is None:
            d = out[s.indicator]
            d["pool"] = True
            for g in GROUPS:
                d["groups"].setdefault(g, list(s.items))
    return list(out.values())


def banks(ws: Workspace | None) -> list[dict]:
    """Item banks available to the workspace, each with its indicators and sentences per group (for the GUI)."""
    return [{"id": a.instrument.id, "title": a.instrument.title, "indicators": sets_overview(a.instrument)}
            for a in catalog.available(ws) if isinstance(a.instrument, ItemBank)]


def build_survey(ws: Workspace, *, survey_id: str, bank_id: str, groups: list[str], indicators: list[str],
                 title: str | None = None, per_indicator: int = DEFAULT_ITEMS_PER_INDICATOR,
                 picks: dict[tuple[str, str], list[int]] | None = None, replace: bool = False) -> dict:
    """`survey build`: a questionnaire from chosen indicators of the bank, stored in the workspace.

    `picks[(indicator name, group)]` lists the chosen sentences (0-based) and wins over per_indicator.
    Areas become domains and sub-areas factors; every item carries its guidebook indicator code.
    """
    _, year = reads.require_school(ws)
    bank = get_bank(ws, bank_id)
    gs = []
    for g in groups:
        cg = canonical_group(g)
        if cg not in GROUPS:
            raise SchoolVaultError(f"응답 집단 '{g}'을(를) 알 수 없습니다.", hint="교원, 직원, 학생, 학부모 중에서 고르세요.")
        if cg not in gs:
            gs.append(cg)
    if not gs:
        raise SchoolVaultError("응답 집단이 없습니다.", hint="--group 교원 처럼 적으세요.")
    if not indicators:
        raise SchoolVaultError("고른 지표가 없습니다.", hint="--indicator에 지표 이름이나 코드를 적으세요.")
    if per_indicator < 1:
        raise SchoolVaultError("지표당 문항 수는 1 이상이어야 합니다.")
    try:
        gb = reads.year_guidebook(ws, year)
    except SchoolVaultError:
        gb = None
    gb_codes = {plain(i.title): i.code for i in gb.indicators()} if gb is not None else {}
    chosen: list[str] = []
    for key in indicators:
        name = find_indicator_name(bank, key, gb)
        if name not in chosen:
            chosen.append(name)
    order = {n: i for i, n in enumerate(indicator_names(bank))}
    chosen.sort(key=order.__getitem__)  # the questionnaire follows the bank's areas, whatever order was typed
    structure: dict[str, dict[str, list[Item]]] = {}
    placeholders: list[str] = []
    n = 0
    for name in chosen:
        for g in gs:
            s = find_set(bank, name, g) if len(gs) == 1 else set_for(bank, name, g)
            if s is None:
                continue
            idx = (picks or {}).get((name, g)) or list(range(min(per_indicator, len(s.items))))
            for i in idx:
                if not 0 <= i < len(s.items):
                    raise SchoolVaultError(f"'{name}' {g}용 문항 번호 {i + 1}이(가) 없습니다.",
                                           hint=f"1~{len(s.items)} 중에서 고르세요.")
                n += 1
                text = s.items[i]
                if _PLACEHOLDER.search(text):
                    placeholders.append(f"Q{n:02d}")
                item = Item(code=f"Q{n:02d}", text=text, groups=(g,) if len(gs) > 1 else (),
                            indicator=gb_codes.get(plain(name)))
                structure.setdefault(s.area, {}).setdefault(s.subarea, []).append(item)
    if n == 0:
        raise SchoolVaultError("고른 지표에 이 응답 집단의 문항이 없습니다.", hint="다른 지표나 집단을 고르세요.")
    domains = []
    fn = 0
    for dn, (area, subs) in enumerate(structure.items(), start=1):
        factors = []
        for sub, items in subs.items():
            fn += 1
            factors.append(Factor(code=f"F{fn}", title=sub, items=tuple(items)))
        domains.append(Domain(code=f"D{dn}", title=area, factors=tuple(factors)))
    agree5 = next(f for f in FAMILIES if f.name == "agree5")
    survey = Survey(id=survey_id, title=title or f"{year} 학교평가 설문 ({', '.join(gs)})", year=year,
                    scale=Scale(agree5.points, agree5.labels), groups=tuple(gs), domains=tuple(domains),
                    description=f"{bank.title}에서 고른 문항으로 만든 설문입니다.", scoring="guidebook")
    out = store_survey(ws, survey, replace=replace, action="survey_build")
    out["indicators"] = chosen
    out["placeholders"] = placeholders
    out["coverage"] = coverage_warnings(gb, survey) if gb is not None else []  # 가이드북 Q9: warn, never block
    return out
