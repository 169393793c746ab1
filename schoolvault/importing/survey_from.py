"""A survey instrument made from an export's headers (the school's own questionnaire), and storing
surveys the workspace creates (also those built from the item bank).

Scale columns become items, free-text columns become open questions, and the scale comes from the
label set the seen answers belong to. Personal-data and timestamp columns are left out.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from ..errors import SchoolVaultError
from ..forms.groups import GROUPS, canonical_group
from ..forms.labels import coverage_warnings, place_label, split_label
from ..forms.loader import CODE_RE, parse_instrument
from ..forms.model import Domain, Factor, Item, OpenQuestion, Survey
from ..workspace import frozen
from ..workspace.db import Workspace
from . import headers as hd
from .reading import read_table
from .values import guess_column, infer_scale

_AREA_TITLE = re.compile(r"^[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+\s*-\s*\d+\s*[.)]?\s*(.+?)\s*[–—-]\s*\S")


def survey_yaml(survey: Survey) -> str:
    return yaml.safe_dump(survey.to_dict(), allow_unicode=True, sort_keys=False, width=4096)


def store_survey(ws: Workspace, survey: Survey, *, replace: bool = False, action: str = "survey_create") -> dict:
    """Validate a survey made in the app and keep it in the workspace (frozen copy, source 'created')."""
    from .. import catalog

    if not CODE_RE.match(survey.id):
        raise SchoolVaultError(f"설문 id '{survey.id}'에는 영문, 숫자, '-', '_', '.'만 쓸 수 있습니다.",
                               hint="예: my-survey-2025")
    existing = [a for a in catalog.available(ws) if a.instrument.id == survey.id]
    if existing and not replace:
        raise SchoolVaultError(f"'{survey.id}' 도구가 이미 있습니다.", hint="다른 --id를 쓰거나 --replace로 바꾸세요.")
    if existing and existing[0].source == "shipped":
        raise SchoolVaultError(f"'{survey.id}'은(는) 프로그램에 들어 있는 도구라 바꿀 수 없습니다.",
                               hint="다른 --id를 쓰세요.")
    text = survey_yaml(survey)
    parsed = parse_instrument(text, f"{survey.id}.yaml")  # the same validation as a file from disk
    assert isinstance(parsed, Survey)  # survey_yaml wrote a survey
    with ws.transaction():
        ref = frozen.freeze(ws, parsed, text, "created", f"{survey.id}.yaml")
        ws.audit(action, id=survey.id, items=sum(1 for _ in parsed.items()))
    return {"id": parsed.id, "kind": "survey", "title": parsed.title, "ref": ref,
            "groups": list(parsed.groups), "scale": parsed.scale.to_dict(),
            "items": sum(1 for _ in parsed.items()), "open_questions": len(parsed.open_questions)}


CATEGORY_MAX_CHOICES = 12  # a text column with this few distinct answers, each chosen repeatedly, is a choice


def _categorical(cells: list) -> bool:
    """A multiple-choice column (학년, 교과 …): few distinct answers, each given by several people."""
    vals = [str(c).strip() for c in cells if c is not None and str(c).strip()]
    distinct = set(vals)
    return len(distinct) <= CATEGORY_MAX_CHOICES and len(vals) >= 3 * len(distinct)


def _factor_key(header: str) -> tuple[str, str]:
    """(area tag, factor title) of a question header; ('', '') without a tag."""
    tag = hd.area_tag(header)
    if not tag:
        return "", ""
    t = hd._TAGS.sub("", header).strip()
    m = _AREA_TITLE.match(t)
    return tag, (f"{tag}. {m.group(1).strip()}" if m else tag)


def _plain(text: str) -> str:
    return re.sub(r"[\s‧·ㆍ•∙・]+", "", str(text))


def guess_indicator(header: str, guidebook) -> str | None:
    """The guidebook indicator whose full title the question header names (the longest such title)."""
    if guidebook is None:
        return None
    h = _plain(header)
    hits = [i for i in guidebook.indicators() if len(_plain(i.title)) >= 6 and _plain(i.title) in h]
    return max(hits, key=lambda i: len(_plain(i.title))).code if hits else None


def survey_from_file(path: str | Path, *, survey_id: str, group: str, title: str | None = None,
                     year: int, sheet: str | None = None, points: int | None = None,
                     guidebook=None) -> tuple[Survey, dict]:
    """Build (not store) a survey from an export; returns it with a report of what each column became."""
    path = Path(path)
    table = read_table(path, sheet)
    headers = table.header
    if not any(headers):
        raise SchoolVaultError("파일에 머리글(질문) 행이 없습니다.", where=path.name,
                               hint="첫 행에 질문 문장이 있는 응답 파일을 고르세요.")
    g = canonical_group(group)
    if g not in GROUPS:
        raise SchoolVaultError(f"응답 집단 '{group}'을(를) 알 수 없습니다.", hint="교원, 직원, 학생, 학부모 중에서 고르세요.")
    columns = [[row[ci] if ci < len(row) else None for _, row in table.data_rows()] for ci in range(len(headers))]
    report: dict[str, Any] = {"items": [], "open_questions": [], "dropped": [], "ignored": [], "notes": []}
    scale_cols, text_cols, guesses = [], [], []
    for ci, h in enumerate(headers):
        if not h:
            continue
        if hd.is_personal_header(h) or hd.looks_personal(columns[ci][:200]):
            report["dropped"].append(h)
        elif hd.is_meta_header(h) or hd.is_demographic_header(h):
            report["ignored"].append(h)
        else:
            guess = guess_column(columns[ci])
            if guess.kind in ("labels", "numbers"):
                scale_cols.append(ci)
                guesses.append(guess)
            elif guess.kind == "text" and not _categorical(columns[ci]):
                text_cols.append(ci)
            else:
                report["ignored"].append(h)
    if not scale_cols:
        raise SchoolVaultError("척도로 답한 문항 열이 없습니다.", where=path.name,
                               hint="'매우 그렇다'~'전혀 그렇지 않다'나 1~5로 답한 열이 있는 응답 파일을 고르세요.")
    scale, notes = infer_scale(guesses, points)
    report["notes"] += notes
    width = max(2, len(str(len(scale_cols))))
    factors: dict[tuple[str, str], list[Item]] = {}
    for n, ci in enumerate(scale_cols, start=1):
        text = " ".join(str(headers[ci]).split())
        item = Item(code=f"Q{n:0{width}d}", text=text, indicator=guess_indicator(headers[ci], guidebook))
        factors.setdefault(_factor_key(headers[ci]), []).append(item)
        report["items"].append({"code": item.code, "header": headers[ci]})
    domains: dict[str, list[Factor]] = {}
    for fn, ((tag, ftitle), items) in enumerate(factors.items(), start=1):
        dom = tag.split("-")[0] if tag else ""
        domains.setdefault(dom, []).append(Factor(code=f"F{fn}", title=ftitle or "문항", items=tuple(items)))
    dlist = tuple(Domain(code=f"D{dn}", title=(f"영역 {dom}" if dom else "설문 문항"), factors=tuple(fs))
                  for dn, (dom, fs) in enumerate(domains.items(), start=1))
    opens = []
    for n, ci in enumerate(text_cols, start=1):
        opens.append(OpenQuestion(code=f"C{n}", text=" ".join(str(headers[ci]).split())))
        report["open_questions"].append({"code": f"C{n}", "header": headers[ci]})
    survey = Survey(id=survey_id, title=title or f"{path.stem} ({g})", year=year, scale=scale, groups=(g,),
                    domains=dlist, open_questions=tuple(opens),
                    description=f"응답 파일 '{path.name}'의 질문으로 만든 학교 자체 설문입니다.",
                    scoring="guidebook")
    report["scale"] = scale.to_dict()
    return survey, report


def create_from_file(ws: Workspace, path: str | Path, *, survey_id: str, group: str, title: str | None = None,
                     sheet: str | None = None, points: int | None = None, replace: bool = False) -> dict:
    """`survey create-from`: make the survey and keep it in the workspace."""
    from .. import reads

    _, year = reads.require_school(ws)
    try:
        guidebook = reads.year_guidebook(ws, year)
    except SchoolVaultError:
        guidebook = None
    survey, report = survey_from_file(path, survey_id=survey_id, group=group, title=title, year=year,
                                      sheet=sheet, points=points, guidebook=guidebook)
    out = store_survey(ws, survey, replace=replace)
    out["linked"] = {i.code: i.indicator for i in survey.items() if i.indicator}
    out["columns"] = report
    if guidebook is not None:  # labels of another year or of none are shown for the user to place
        out["placements"] = [{"factor": f.code, **place_label(guidebook, f.title).to_dict()}
                             for f in survey.factors() if split_label(f.title)[0]]
        out["coverage"] = coverage_warnings(guidebook, survey)
    return out


def free_survey_id(ws: Workspace, year: int, stem: str = "school-survey") -> str:
    """An id no instrument uses yet: school-survey-2025, school-survey-2025-2, …"""
    from .. import catalog

    used = {a.instrument.id for a in catalog.available(ws)}
    base = f"{stem}-{year}"
    n = 1
    ident = base
    while ident in used:
        n += 1
        ident = f"{base}-{n}"
    return ident


def create_from_file_auto(ws: Workspace, path: str | Path, *, group: str, sheet: str | None = None) -> dict:
    """The GUI's "make a survey from this file": a free id, the file name as title."""
    from .. import reads

    _, year = reads.require_school(ws)
    return create_from_file(ws, path, survey_id=free_survey_id(ws, year), group=group,
                            title=f"{Path(path).stem} ({canonical_group(group)})", sheet=sheet)


def link_items(ws: Workspace, instrument_id: str, links: dict[str, str | None]) -> dict:
    """Link items of a workspace-made survey to guidebook indicators (item code → indicator code or name)."""
    from dataclasses import replace as dc_replace

    from .. import catalog, reads

    a = catalog.resolve(ws, instrument_id)
    if not isinstance(a.instrument, Survey) or a.source == "shipped":
        raise SchoolVaultError(f"'{instrument_id}'은(는) 이 작업 파일에서 만든 설문이 아닙니다.",
                               hint="'survey create-from'이나 'survey build'로 만든 설문만 바꿀 수 있습니다.")
    gb = reads.year_guidebook(ws)
    codes = {i.code for i in a.instrument.items()}
    resolved = {}
    for item, ind in links.items():
        if item not in codes:
            raise SchoolVaultError(f"문항 '{item}'이(가) 설문에 없습니다.", hint="문항 코드: " + ", ".join(sorted(codes)))
        resolved[item] = reads.find_indicator(gb, ind).code if ind else None
    s = a.instrument
    domains = tuple(dc_replace(d, factors=tuple(dc_replace(f, items=tuple(
        dc_replace(i, indicator=resolved.get(i.code, i.indicator)) for i in f.items)) for f in d.factors))
        for d in s.domains)
    out = store_survey(ws, dc_replace(s, domains=domains), replace=True, action="survey_link")
    out["links"] = resolved
    return out
