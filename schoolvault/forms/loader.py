"""Load and validate instrument files (YAML guidebooks/surveys, the official JSON item bank).

Errors name the file, the line and the field, because the people who edit these files
are district-office staff, not programmers.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import yaml

from ..errors import InstrumentError
from ..filetypes import foreign_kind
from .groups import canonical_group
from .model import (
    Area,
    Domain,
    EarlierSubarea,
    Factor,
    Guidebook,
    Indicator,
    Instrument,
    Item,
    ItemBank,
    ItemBankSet,
    Level,
    OpenQuestion,
    RatingScale,
    Scale,
    Subarea,
    Survey,
    SurveyLevels,
)
from .scoring import SCORING_RULES

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
_YAML_KEY = re.compile(r"^\s*(?:-\s+)?([^\s:#'\"\[{-][^:#]*?)\s*:(?:\s|$)")
SCHOOL_LEVELS = ("초", "중", "고", "특수")
INDICATOR_TYPES = ("common", "autonomous")
KINDS = ("guidebook", "survey", "itembank")


class _Map(dict):
    """A dict that remembers the line of itself and of each key (1-based)."""

    line: int = 0
    key_lines: dict


class _Seq(list):
    line: int = 0
    item_lines: list


class _Str(str):
    """A string inside a list, remembering its line (so '- 문항' where a mapping belongs has a line)."""

    line: int = 0


class _DuplicateKey(Exception):
    def __init__(self, key: str, line: int):
        super().__init__(key)
        self.key, self.line = key, line


def _build(node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        m = _Map()
        m.line = node.start_mark.line + 1
        m.key_lines = {}
        for k, v in node.value:
            key = _build(k)
            if key in m:  # YAML would silently keep the last one and hide a copy-paste mistake
                raise _DuplicateKey(str(key), k.start_mark.line + 1)
            m[key] = _build(v)
            m.key_lines[key] = k.start_mark.line + 1
        return m
    if isinstance(node, yaml.SequenceNode):
        s = _Seq(_in_list(_build(v), v) for v in node.value)
        s.line = node.start_mark.line + 1
        s.item_lines = [v.start_mark.line + 1 for v in node.value]
        return s
    return yaml.SafeLoader.construct_object(_CONSTRUCTOR, node, deep=True)


def _in_list(value: Any, node: yaml.Node) -> Any:
    if type(value) is str:
        value = _Str(value)
        value.line = node.start_mark.line + 1
    return value


MAX_NODES = 200_000  # far above any real guidebook or survey; a bigger graph is an attack or a mistake


def _refuse_aliases(node: yaml.Node, source: str) -> None:
    """Refuse YAML aliases and absurd sizes before building: a "billion laughs" file is a few
    lines whose aliases expand to gigabytes, and instruments never need aliases."""
    seen: set[int] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if id(n) in seen:
            raise InstrumentError("YAML 별칭(&이름, *이름)은 도구 파일에 쓸 수 없습니다.", where=source,
                                  hint="반복되는 내용은 별칭 대신 그대로 다시 적으세요.")
        seen.add(id(n))
        if len(seen) > MAX_NODES:
            raise InstrumentError("도구 파일이 너무 큽니다.", where=source, hint="평가지표·설문 파일이 맞는지 확인하세요.")
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                stack += (k, v)
        elif isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)


# libyaml's composer is ~10x faster and keeps line marks; fall back to pure Python without it.
_COMPOSE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Constructor(yaml.SafeLoader):
    def __init__(self):  # a constructor with no stream, used only for scalars
        yaml.constructor.SafeConstructor.__init__(self)


_CONSTRUCTOR = _Constructor()


class _Ctx:
    """Carries the file name so every error can say where it is."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, obj: Any, field: str, message: str, hint: str | None = None, key: str | None = None):
        line = None
        if isinstance(obj, _Map):
            line = obj.key_lines.get(key, obj.line) if key else obj.line
        elif isinstance(obj, (_Seq, _Str)):
            line = obj.line
        where = f"{self.source}" + (f" {line}번째 줄" if line else "") + f" ({field})"
        raise InstrumentError(message, where=where, hint=hint or "파일을 고친 뒤 다시 불러오세요.")

    def need(self, m: Any, key: str, field: str, typ: type | tuple = str) -> Any:
        if not isinstance(m, dict):
            self.fail(m, field, "항목이 '이름: 값' 형식이어야 합니다.")
        # callers pass either the container's field or the field itself ("scale.labels")
        path = field if field == key or field.endswith(f".{key}") else f"{field}.{key}"
        if key not in m or m[key] is None or m[key] == "":
            self.fail(m, path, f"필수 항목 '{key}'이(가) 없습니다.")
        value = m[key]
        if typ is str and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, typ):
            self.fail(m, path, f"'{key}'의 형식이 올바르지 않습니다.", key=key)
        if isinstance(value, list) and not value:  # a survey without groups, a factor without items
            self.fail(m, path, f"'{key}' 목록이 비어 있습니다.", hint="하나 이상 적으세요.", key=key)
        return value

    def opt_list(self, m: dict, key: str, field: str) -> list:
        value = m.get(key)
        if value is None:
            return []
        if isinstance(value, (str, int)):
            return [str(value)]
        if not isinstance(value, list):
            self.fail(m, f"{field}.{key}", f"'{key}'는 목록이어야 합니다.", key=key)
        return [str(v) for v in value]

    def code(self, m: dict, field: str, seen: set) -> str:
        code = self.need(m, "code", field)
        if not CODE_RE.match(code):
            self.fail(m, f"{field}.code", f"코드 '{code}'에는 영문, 숫자, '-', '_', '.'만 쓸 수 있습니다.",
                      key="code")
        if code in seen:
            self.fail(m, f"{field}.code", f"코드 '{code}'가 두 번 나옵니다. 코드는 파일 안에서 한 번만 써야 합니다.",
                      key="code")
        seen.add(code)
        return code


def _header(ctx: _Ctx, d: dict) -> tuple[str, str, int]:
    ident = ctx.need(d, "id", "id")
    if not CODE_RE.match(ident):
        ctx.fail(d, "id", f"id '{ident}'에는 영문, 숫자, '-', '_', '.'만 쓸 수 있습니다.", key="id")
    title = ctx.need(d, "title", "title")
    year = d.get("year")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        ctx.fail(d, "year", "year는 2025처럼 네 자리 연도여야 합니다.", key="year")
    assert isinstance(year, int)  # ctx.fail raised otherwise
    return ident, title, year


def _groups(ctx: _Ctx, m: dict, field: str, allowed: tuple[str, ...] | None) -> tuple[str, ...]:
    groups = tuple(canonical_group(g) for g in ctx.opt_list(m, "groups", field))
    if allowed is not None:
        for g in groups:
            if g not in allowed:
                ctx.fail(m, f"{field}.groups", f"응답 집단 '{g}'이(가) 설문의 groups 목록에 없습니다.",
                         hint=f"다음 중에서 고르세요: {', '.join(allowed)}", key="groups")
    return groups


def _survey(ctx: _Ctx, d: dict) -> Survey:
    ident, title, year = _header(ctx, d)
    sc = ctx.need(d, "scale", "scale", dict)
    labels = ctx.need(sc, "labels", "scale.labels", list)
    points = sc.get("points", len(labels))
    if not isinstance(points, int) or not 2 <= points <= 11:
        ctx.fail(sc, "scale.points", "scale.points는 2~11 사이의 정수여야 합니다.", key="points")
    if len(labels) != points:
        ctx.fail(sc, "scale.labels", f"척도 라벨이 {len(labels)}개인데 points는 {points}입니다.",
                 hint="라벨을 낮은 값부터 높은 값 순서로 points 개수만큼 적으세요.", key="labels")
    groups_raw = ctx.need(d, "groups", "groups", list)
    groups = tuple(canonical_group(str(g)) for g in groups_raw)
    if len(set(groups)) != len(groups):
        ctx.fail(d, "groups", "응답 집단이 중복되었습니다.", key="groups")
    seen: set = set()
    domains = []
    for di, dm in enumerate(ctx.need(d, "domains", "domains", list)):
        f_dom = f"domains[{di}]"
        dcode = ctx.code(dm, f_dom, seen)
        factors = []
        for fi, fm in enumerate(ctx.need(dm, "factors", f"{f_dom}.factors", list)):
            f_fac = f"{f_dom}.factors[{fi}]"
            fcode = ctx.code(fm, f_fac, seen)
            items = []
            for ii, im in enumerate(ctx.need(fm, "items", f"{f_fac}.items", list)):
                f_item = f"{f_fac}.items[{ii}]"
                icode = ctx.code(im, f_item, seen)
                reverse = im.get("reverse", False)
                if not isinstance(reverse, bool):
                    ctx.fail(im, f"{f_item}.reverse", "reverse는 true 또는 false여야 합니다.", key="reverse")
                indicator = im.get("indicator")
                items.append(Item(code=icode, text=ctx.need(im, "text", f_item).strip(),
                                  groups=_groups(ctx, im, f_item, groups), reverse=reverse,
                                  indicator=str(indicator) if indicator is not None else None))
            factors.append(Factor(code=fcode, title=ctx.need(fm, "title", f_fac), items=tuple(items)))
        domains.append(Domain(code=dcode, title=ctx.need(dm, "title", f_dom), factors=tuple(factors)))
    open_qs = []
    for qi, qm in enumerate(d.get("open_questions") or []):
        f_q = f"open_questions[{qi}]"
        open_qs.append(OpenQuestion(code=ctx.code(qm, f_q, seen), text=ctx.need(qm, "text", f_q).strip(),
                                    groups=_groups(ctx, qm, f_q, groups)))
    scoring = str(d.get("scoring", "respondent"))
    if scoring not in SCORING_RULES:
        ctx.fail(d, "scoring", f"scoring '{scoring}'을(를) 알 수 없습니다.",
                 hint="학교평가 교육공동체 설문은 guidebook(가이드북 방식: 응답 합산), "
                      "학교조직진단 같은 설문은 respondent(응답자 평균)로 적으세요.", key="scoring")
    return Survey(id=ident, title=title, year=year, scale=Scale(points, tuple(str(x) for x in labels)),
                  groups=groups, domains=tuple(domains), open_questions=tuple(open_qs),
                  description=str(d.get("description") or "").strip(), scoring=scoring)


def _guidebook(ctx: _Ctx, d: dict) -> Guidebook:
    ident, title, year = _header(ctx, d)
    rating = ctx.need(d, "rating", "rating", dict)
    labels = tuple(str(x) for x in ctx.need(rating, "labels", "rating.labels", list))
    if len(labels) < 2:
        ctx.fail(rating, "rating.labels", "평가 등급은 2개 이상이어야 합니다.", key="labels")
    seen: set = set()
    areas = []
    for ai, am in enumerate(ctx.need(d, "areas", "areas", list)):
        f_a = f"areas[{ai}]"
        acode = ctx.code(am, f_a, seen)
        subs = []
        for si, sm in enumerate(ctx.need(am, "subareas", f"{f_a}.subareas", list)):
            f_s = f"{f_a}.subareas[{si}]"
            scode = ctx.code(sm, f_s, seen)
            inds = []
            for ii, im in enumerate(sm.get("indicators") or []):
                f_i = f"{f_s}.indicators[{ii}]"
                inds.append(_indicator(ctx, im, f_i, seen, len(labels)))
            subs.append(Subarea(code=scode, title=ctx.need(sm, "title", f_s), indicators=tuple(inds)))
        areas.append(Area(code=acode, title=ctx.need(am, "title", f_a), subareas=tuple(subs)))
    levels = _survey_levels(ctx, d["survey_levels"]) if d.get("survey_levels") is not None else None
    coverage = d.get("coverage") or {}
    if not isinstance(coverage, dict):
        ctx.fail(d, "coverage", "coverage는 'groups: [학생, 학부모, 교원]' 형식이어야 합니다.", key="coverage")
    composed = d.get("composed", False)
    if not isinstance(composed, bool):
        ctx.fail(d, "composed", "composed는 true 또는 false여야 합니다.", key="composed")
    sub_codes = {s.code for a in areas for s in a.subareas}
    earlier = []
    for n, em in enumerate(d.get("earlier_subareas") or []):
        fe = f"earlier_subareas[{n}]"
        target = ctx.need(em, "subarea", fe)
        if target not in sub_codes:
            ctx.fail(em, f"{fe}.subarea", f"세부영역 '{target}'이(가) 이 파일에 없습니다.", key="subarea")
        ey = em.get("year")
        if not isinstance(ey, int):
            ctx.fail(em, f"{fe}.year", "year는 2025처럼 네 자리 연도여야 합니다.", key="year")
        earlier.append(EarlierSubarea(year=ey, label=ctx.need(em, "label", fe), subarea=target))
    return Guidebook(id=ident, title=title, year=year, rating=RatingScale(labels), areas=tuple(areas),
                     description=str(d.get("description") or "").strip(), survey_levels=levels,
                     coverage_groups=tuple(canonical_group(g) for g in ctx.opt_list(coverage, "groups", "coverage")),
                     composed=composed, earlier_subareas=tuple(earlier))


def _survey_levels(ctx: _Ctx, m: Any) -> SurveyLevels:
    """`survey_levels:` — the year's 4단계 thresholds, highest level first, each a lower bound."""
    f = "survey_levels"
    if not isinstance(m, dict):
        ctx.fail(m, f, "survey_levels는 scale_points, decimals, levels 항목이어야 합니다.")
    points, decimals = m.get("scale_points"), m.get("decimals", 1)
    if not isinstance(points, int) or not 2 <= points <= 11:
        ctx.fail(m, f"{f}.scale_points", "scale_points는 2~11 사이의 정수여야 합니다.", key="scale_points")
    if not isinstance(decimals, int) or not 0 <= decimals <= 3:
        ctx.fail(m, f"{f}.decimals", "decimals(반올림 자릿수)는 0~3 사이의 정수여야 합니다.", key="decimals")
    levels: list[Level] = []
    raw = ctx.need(m, "levels", f"{f}.levels", list)
    for n, lm in enumerate(raw):
        fl = f"{f}.levels[{n}]"
        label = ctx.need(lm, "label", fl)
        low = lm.get("min")
        last = n == len(raw) - 1
        if low is None and not last:
            ctx.fail(lm, f"{fl}.min", "가장 낮은 단계가 아니면 min(이 점수 이상)을 적어야 합니다.")
        if low is not None:
            if isinstance(low, bool) or not isinstance(low, (int, float)):
                ctx.fail(lm, f"{fl}.min", "min은 4.0처럼 숫자여야 합니다.", key="min")
            if levels and levels[-1].min is not None and low >= levels[-1].min:
                ctx.fail(lm, f"{fl}.min", "단계는 높은 단계부터 min이 작아지는 순서로 적어야 합니다.", key="min")
        levels.append(Level(label=str(label), min=None if low is None else float(low)))
    if len(levels) < 2:
        ctx.fail(raw, f"{f}.levels", "단계는 2개 이상이어야 합니다.")
    return SurveyLevels(scale_points=points, decimals=decimals, levels=tuple(levels))


def parse_custom_indicator(definition: dict, code: str, rating_points: int) -> Indicator:
    """A school's own 자율지표 as the workspace stores it (its definition without the code) → Indicator."""
    return _indicator(_Ctx("자율지표"), {**definition, "code": code}, code, set(), rating_points)


def _indicator(ctx: _Ctx, im: dict, field: str, seen: set, rating_points: int) -> Indicator:
    """One indicator mapping → Indicator."""
    code = ctx.code(im, field, seen)
    typ = str(im.get("type", "common"))
    if typ not in INDICATOR_TYPES:
        ctx.fail(im, f"{field}.type", f"type은 common(공통지표) 또는 autonomous(자율지표)여야 합니다: '{typ}'",
                 key="type")
    levels = tuple(ctx.opt_list(im, "levels", field))
    for lv in levels:
        if lv not in SCHOOL_LEVELS:
            ctx.fail(im, f"{field}.levels", f"학교급 '{lv}'을(를) 알 수 없습니다.",
                     hint="초, 중, 고, 특수 중에서 쓰세요.", key="levels")
    rubric = tuple(ctx.opt_list(im, "rubric", field))
    if rubric and len(rubric) != rating_points:
        ctx.fail(im, f"{field}.rubric", f"루브릭 설명이 {len(rubric)}개인데 평가 등급은 {rating_points}개입니다.",
                 hint="등급마다 설명을 하나씩, 낮은 등급부터 적으세요.", key="rubric")
    return Indicator(code=code, title=ctx.need(im, "title", field), type=typ, levels=levels,
                     criteria=tuple(ctx.opt_list(im, "criteria", field)), rubric=rubric,
                     evidence=tuple(ctx.opt_list(im, "evidence", field)),
                     survey_items=tuple(ctx.opt_list(im, "survey_items", field)))


ITEMBANK_KEYS = ("영역", "세부영역", "평가지표", "평가대상자", "평가문항목록")


def _itembank(ctx: _Ctx, data: list, ident: str, title: str, year: int) -> ItemBank:
    sets = []
    for n, row in enumerate(data):
        if not isinstance(row, dict):
            raise InstrumentError("문항 예시자료의 항목이 객체가 아닙니다.", where=f"{ctx.source} [{n}]")
        for k in ITEMBANK_KEYS:
            if k not in row:
                raise InstrumentError(f"문항 예시자료 항목에 '{k}'이(가) 없습니다.", where=f"{ctx.source} [{n}]",
                                      hint="교육연구정보원 학교평가문항 예시자료 형식(JSON)인지 확인하세요.")
        items = row["평가문항목록"]
        if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
            raise InstrumentError("'평가문항목록'은 문장 목록이어야 합니다.", where=f"{ctx.source} [{n}]")
        sets.append(ItemBankSet(area=str(row["영역"]).strip(), subarea=str(row["세부영역"]).strip(),
                                indicator=str(row["평가지표"]).strip(),
                                group=canonical_group(str(row["평가대상자"]).strip()),
                                items=tuple(x.strip() for x in items if x.strip())))
    return ItemBank(id=ident, title=title, year=year, sets=tuple(sets))


def _itembank_object(ctx: _Ctx, d: dict) -> ItemBank:
    """`kind: itembank` with `sets` (area, subarea, indicator, group or null, items): the normalised
    form a converted workbook is stored in, and what `instruments show --json` prints."""
    ident, title, year = _header(ctx, d)
    sets = []
    for n, sm in enumerate(ctx.need(d, "sets", "sets", list)):
        fs = f"sets[{n}]"
        group = sm.get("group") if isinstance(sm, dict) else None
        items = ctx.need(sm, "items", fs, list)
        sets.append(ItemBankSet(area=ctx.need(sm, "area", fs), subarea=ctx.need(sm, "subarea", fs),
                                indicator=ctx.need(sm, "indicator", fs),
                                group=canonical_group(str(group)) if group else None,
                                items=tuple(str(x).strip() for x in items if str(x).strip())))
    return ItemBank(id=ident, title=title, year=year, sets=tuple(sets))


def parse_instrument(text: str, source: str = "<text>") -> Instrument:
    """Parse instrument text (YAML, or the item bank's JSON list) into a validated model."""
    ctx = _Ctx(source)
    stripped = text.lstrip("\ufeff")
    if stripped.lstrip().startswith("["):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as e:
            raise InstrumentError(f"JSON 형식이 올바르지 않습니다: {e.msg}", where=f"{source} {e.lineno}번째 줄",
                                  hint="파일이 손상되지 않았는지 확인하세요.") from None
        except RecursionError:
            raise InstrumentError("JSON이 너무 깊게 중첩되어 있습니다.", where=source,
                                  hint="문항 예시자료 파일이 맞는지 확인하세요.") from None
        stem = Path(source).stem
        year_m = re.search(r"(20\d\d)", source)
        year = int(year_m.group(1)) if year_m else 2025
        ident = f"itembank-{year}"
        return _itembank(ctx, data, ident, f"학교평가문항 예시자료 ({stem})", year)
    try:
        node = yaml.compose(stripped, Loader=_COMPOSE_LOADER)
    except RecursionError:
        raise InstrumentError("YAML이 너무 깊게 중첩되어 있습니다.", where=source,
                              hint="평가지표·설문 파일이 맞는지 확인하세요.") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = source
        if mark:
            where += f" {mark.line + 1}번째 줄"
            lines = stripped.splitlines()
            key = _YAML_KEY.match(lines[mark.line]) if mark.line < len(lines) else None
            if key:
                where += f" ({key.group(1)})"
        detail = str(getattr(e, "problem", "") or "")
        hint = ("들여쓰기에 탭 대신 공백을 쓰세요." if "'\\t'" in detail else
                "이 줄의 들여쓰기가 같은 수준의 다른 줄과 맞는지, '이름: 값' 형식인지 확인하세요.")
        raise InstrumentError("YAML 형식이 올바르지 않습니다 (들여쓰기나 콜론을 확인하세요).", where=where,
                              hint=f"{hint} (세부: {detail})" if detail else hint) from None
    if node is None:
        raise InstrumentError("빈 파일입니다.", where=source, hint="지표나 설문 내용을 적은 파일을 고르세요.")
    _refuse_aliases(node, source)
    try:
        d = _build(node)
    except _DuplicateKey as e:
        raise InstrumentError(f"'{e.key}' 항목이 한 곳에 두 번 적혀 있습니다.", where=f"{source} {e.line}번째 줄 ({e.key})",
                              hint="둘 중 하나를 지우세요.") from None
    if not isinstance(d, dict):
        raise InstrumentError("도구 파일의 맨 위는 'kind: ...' 같은 항목들이어야 합니다.", where=source)
    kind = d.get("kind")
    if kind is None:
        ctx.fail(d, "kind", "필수 항목 'kind'가 없습니다.", hint="맨 위에 'kind: survey' 또는 'kind: guidebook'을 적으세요.")
    if kind == "survey":
        return _survey(ctx, d)
    if kind == "guidebook":
        return _guidebook(ctx, d)
    if kind == "itembank":
        return _itembank_object(ctx, d)
    ctx.fail(d, "kind", f"kind '{kind}'을(를) 알 수 없습니다.", hint="kind는 guidebook, survey, itembank 중 하나여야 합니다.",
             key="kind")
    raise AssertionError("unreachable")


def read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise InstrumentError("도구 파일을 읽을 수 없습니다.", where=str(path),
                              hint=f"파일 경로와 읽기 권한을 확인하세요. ({e.strerror})") from None
    other = foreign_kind(raw[:16])
    if other:
        raise InstrumentError(f"평가지표·설문 도구 파일이 아니라 {other}입니다.", where=str(path),
                              hint="도구 파일(.yaml 또는 문항 예시자료 .json)을 고르세요.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InstrumentError("도구 파일이 UTF-8 텍스트가 아닙니다.", where=str(path),
                              hint="메모장 등에서 UTF-8로 다시 저장하세요.") from None


def load_instrument(path: str | Path) -> Instrument:
    """Load an instrument file; raises InstrumentError naming file, line and field."""
    path = Path(path)
    return parse_instrument(read_text(path), path.name)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
