"""The year's plan and self-evaluation as the user edits it: choosing indicators, the school's own
자율지표, ratings and texts per indicator, 특색사례 per 세부영역. Writes go through workspace/selfeval.py."""

from __future__ import annotations

import json
from collections.abc import Sequence

from .errors import SchoolVaultError
from .forms.labels import EXACT, place_label
from .reads import find_indicator, require_school, year_guidebook
from .workspace import selfeval
from .workspace.db import Workspace


def add_custom_indicator(ws: Workspace, *, subarea: str, title: str, criteria: Sequence[str] = (),
                         rubric: Sequence[str] = (), evidence: Sequence[str] = (), origin: dict | None = None,
                         survey_items: Sequence[str] = ()) -> str:
    """A school's own autonomous indicator (학교 자율지표), chosen for this year's plan; in a composed year
    (2026 on) every 평가지표 is one. `origin` records where it came from (a bank, last year's indicator);
    `survey_items` are its "INSTRUMENT:ITEM" links, checked by the caller (composing.link_items)."""
    _, year = require_school(ws)
    gb = year_guidebook(ws, year)
    subs = {s.code: s for a in gb.areas for s in a.subareas}
    if subarea not in subs:
        raise SchoolVaultError(f"세부영역 '{subarea}'이(가) 없습니다.", hint=f"다음 중 하나: {', '.join(subs)}")
    if not title.strip():
        raise SchoolVaultError("자율지표 이름이 비어 있습니다.", hint="지표 이름을 적으세요.")
    if rubric and len(rubric) != gb.rating.points:
        raise SchoolVaultError(f"루브릭은 등급 수({gb.rating.points})만큼 적어야 합니다.",
                               hint=f"등급: {', '.join(gb.rating.labels)}")
    n = max((int(i.code.rsplit("-S", 1)[1]) for i in subs[subarea].indicators
             if i.code.startswith(f"{subarea}-S") and i.code.rsplit("-S", 1)[1].isdigit()), default=0)
    code = f"{subarea}-S{n + 1}"  # after the highest, so codes stay unique when one was removed
    definition = {"title": title.strip(), "type": "autonomous", "criteria": list(criteria),
                  "rubric": list(rubric), "evidence": list(evidence), **({"origin": origin} if origin else {}),
                  **({"survey_items": list(survey_items)} if survey_items else {})}
    with ws.transaction():
        selfeval.save_custom_indicator(ws, year, code, subarea, json.dumps(definition, ensure_ascii=False))
        selfeval.set_chosen(ws, year, code, True)
        ws.audit("custom_indicator", code=code, title=title.strip())
    return code


def choose_indicators(ws: Workspace, codes: list[str], chosen: bool = True) -> list[str]:
    _, year = require_school(ws)
    gb = year_guidebook(ws, year)
    found = [find_indicator(gb, c).code for c in codes]
    with ws.transaction():
        for code in found:
            selfeval.set_chosen(ws, year, code, chosen)
        ws.audit("plan", indicators=found, chosen=chosen)
    return found


def self_eval_list(ws: Workspace) -> list[dict]:
    _, year = require_school(ws)
    gb = year_guidebook(ws, year)
    entries = {e.indicator: e for e in selfeval.entries(ws, year)}
    out = []
    for area in gb.areas:
        for sub in area.subareas:
            for ind in sub.indicators:
                e = entries.get(ind.code)
                if e is None:
                    continue
                out.append({
                    "indicator": ind.code, "title": ind.title, "type": ind.type,
                    "area": area.title, "subarea": sub.title,
                    "rating": e.rating,
                    "rating_label": gb.rating.labels[e.rating - 1] if e.rating else None,
                    "evidence": e.evidence, "achievements": e.achievements,
                    "shortcomings": e.shortcomings, "improvements": e.improvements,
                    "midyear_status": e.midyear_status, "midyear_note": e.midyear_note,
                    "support_needed": e.support_needed, "updated_at": e.updated_at,
                })
    return out


def self_eval_set(ws: Workspace, code: str, *, rating: int | str | None = None, **texts) -> dict:
    """Rate an indicator and/or set its texts; an indicator not yet in the plan is added to it.
    `rating` is the number or its label ('우수', '매우우수')."""
    _, year = require_school(ws)
    gb = year_guidebook(ws, year)
    ind = find_indicator(gb, code)
    if isinstance(rating, str):
        by_label = {"".join(lab.split()): n for n, lab in enumerate(gb.rating.labels, 1)}
        key = "".join(rating.split())
        if key.isdigit():
            rating = int(key)
        elif key in by_label:
            rating = by_label[key]
        else:
            raise SchoolVaultError(f"등급 '{rating}'을(를) 알 수 없습니다.",
                                   hint="등급은 " + ", ".join(f"{n}={lab}" for n, lab in
                                                             enumerate(gb.rating.labels, 1)) + " 중 하나입니다.")
    if rating is not None and not 1 <= rating <= gb.rating.points:
        raise SchoolVaultError(f"등급 {rating}은(는) 쓸 수 없습니다.",
                               hint="등급은 " + ", ".join(f"{n}={lab}" for n, lab in
                                                         enumerate(gb.rating.labels, 1)) + " 중 하나입니다.")
    if "midyear_status" in texts and texts["midyear_status"] not in (None, *selfeval.MIDYEAR_STATUSES):
        raise SchoolVaultError("중간점검 상태가 올바르지 않습니다.",
                               hint="on_track(계획대로), attention(보완 필요), not_started(미착수) 중 하나")
    fields = {k: v for k, v in texts.items() if v is not None}
    if rating is not None:
        fields["rating"] = rating
    with ws.transaction():
        current = selfeval.entry(ws, year, ind.code)
        if current is None or not current.chosen:
            selfeval.set_chosen(ws, year, ind.code, True)
        selfeval.update(ws, year, ind.code, **fields)
        ws.audit("self_eval", indicator=ind.code, fields=sorted(fields))
    return next(x for x in self_eval_list(ws) if x["indicator"] == ind.code)


def self_eval_features(ws: Workspace) -> list[dict]:
    """The year's 세부영역 with their 학교교육활동 특색사례 (학교평가서 서식3-1 (3)); empty text where none."""
    _, year = require_school(ws)
    gb = year_guidebook(ws, year)
    texts = selfeval.features(ws, year)
    return [{"subarea": s.code, "title": s.title, "area": a.title, "text": texts.get(s.code, "")}
            for a in gb.areas for s in a.subareas]


def self_eval_set_feature(ws: Workspace, subarea: str, text: str) -> dict:
    """Write the 특색사례 of a 세부영역 (code "3-2" or label "Ⅲ-2. 미래역량 교육"); '' clears it."""
    _, year = require_school(ws)
    gb = year_guidebook(ws, year)
    placed = place_label(gb, subarea)
    if placed.kind != EXACT or placed.subarea is None:  # never an earlier year's label silently
        subs = ", ".join(f"{s.code} {s.title}" for a in gb.areas for s in a.subareas)
        raise SchoolVaultError(f"세부영역 '{subarea}'이(가) {gb.year}학년도에 없습니다.",
                               hint=f"다음 중 하나를 쓰세요: {subs}")
    code = placed.subarea
    with ws.transaction():
        selfeval.set_feature(ws, year, code, text.strip())
        ws.audit("feature", subarea=code)
    return next(f for f in self_eval_features(ws) if f["subarea"] == code)
