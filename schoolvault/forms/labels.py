"""세부영역 labels of surveys, item banks and earlier years, placed in a year's guidebook; the coverage rule.

Real forms carry labels in many spellings ("Ⅲ-3. 민주시민교육 – …", "III-2 미래역량교육", "교원전문성 신장")
and labels of last year's guidebook or of no guidebook at all. A label is never turned silently into a
세부영역: `place_label` says whether it is this year's (exact), an earlier year's label the guidebook offers
to one of its 세부영역 (the user confirms), or unknown (the user places it, helped by close candidates).

Pure: no I/O, no SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Guidebook, Subarea, Survey

EXACT, EARLIER, UNKNOWN = "exact", "earlier", "unknown"
ROMAN = {"Ⅰ": 1, "Ⅱ": 2, "Ⅲ": 3, "Ⅳ": 4, "Ⅴ": 5, "I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}
ROMAN_OF = {1: "Ⅰ", 2: "Ⅱ", 3: "Ⅲ", 4: "Ⅳ", 5: "Ⅴ"}
CANDIDATE_CUTOFF = 60  # rapidfuzz WRatio; below this a 세부영역 title is not offered as a candidate
MAX_CANDIDATES = 3

_DOTS = re.compile(r"[·‧･・ㆍ•∙]")
_NUMERAL = r"(?:Ⅰ|Ⅱ|Ⅲ|Ⅳ|Ⅴ|IV|V|I{1,3}|\d)"
# "Ⅲ-2.", "III-2)", "3-2", "(2025) Ⅲ-2." at the start; the area alone ("Ⅲ.") for 영역 labels
_SUB_PREFIX = re.compile(rf"^\s*(?:\(\s*\d{{4}}\s*\)\s*)?({_NUMERAL})\s*[-–—]\s*(\d+)\s*[.)]?\s*")
_AREA_PREFIX = re.compile(rf"^\s*(?:\(\s*\d{{4}}\s*\)\s*)?(?:영역\s*)?({_NUMERAL})(?:\s*[.)]\s*|\s+|\s*$)")
# what follows the 세부영역 in a question header: "Ⅲ-3. 민주시민교육 – 학생자치 …"
_TAIL = re.compile(r"\s+[–—-]\s+.*$|\s*[–—]\s*.*$")


def plain(text: str) -> str:
    """A title compared without spaces and middle dots (· ‧ ･ ・ ㆍ), case-folded."""
    return _DOTS.sub("", "".join(str(text).split())).casefold()


def split_label(label: str) -> tuple[str | None, str]:
    """("3-2", "미래역량 교육") from "Ⅲ-2. 미래역량 교육 – …"; (None, title) without a numbered prefix."""
    text = " ".join(str(label).split())
    m = _SUB_PREFIX.match(text)
    code = None
    if m:
        code = f"{ROMAN.get(m.group(1), m.group(1))}-{int(m.group(2))}"
        text = text[m.end():]
    return code, _TAIL.sub("", text).strip()


def subarea_label(area_code: str, sub: Subarea) -> str:
    """The label of a 세부영역 as forms print it: "Ⅲ-3. 민주시민교육"."""
    numeral = ROMAN_OF.get(int(area_code)) if area_code.isdigit() else None
    n = sub.code.split("-", 1)[1] if "-" in sub.code else sub.code
    return f"{numeral}-{n}. {sub.title}" if numeral else sub.title


COMPOSED_NOTE = "학교가 구성한 지표입니다. 평가요소와 등급별 기준은 학교가 정합니다."


def indicator_type_label(type_: str, *, custom: bool = False, composed: bool = False) -> str:
    """The one Korean name of an indicator's kind, wherever it is shown: 공통지표, 자율지표, a school's own
    자율지표 (학교 자율지표) or, in a composed year (2026 on), 학교 구성 지표."""
    if custom and composed:
        return "학교 구성 지표"
    if type_ == "common":
        return "공통지표"
    return "학교 자율지표" if custom else "자율지표"


@dataclass(frozen=True)
class Placement:
    """Where a 세부영역 label goes in a year's guidebook.

    kind: EXACT (this year's 세부영역), EARLIER (an earlier year's label offered to `subarea`: confirm),
    UNKNOWN (`subarea` None; `candidates` are (code, title) pairs that look close)."""

    label: str
    kind: str
    subarea: str | None = None
    subarea_title: str | None = None
    earlier_year: int | None = None
    candidates: tuple[tuple[str, str], ...] = ()

    @property
    def needs_confirmation(self) -> bool:
        return self.kind != EXACT

    def describe(self) -> str:
        """One Korean line for lists the user reads."""
        if self.kind == EXACT:
            return f"'{self.label}' → {self.subarea} {self.subarea_title}"
        if self.kind == EARLIER:
            return (f"'{self.label}'은(는) {self.earlier_year}학년도 세부영역입니다. "
                    f"{self.subarea} {self.subarea_title}에 넣을지 확인하세요.")
        near = ", ".join(f"{c} {t}" for c, t in self.candidates)
        return (f"'{self.label}'은(는) 올해 세부영역에 없습니다. 어느 세부영역인지 정하세요"
                + (f" (비슷한 세부영역: {near})." if near else "."))

    def to_dict(self) -> dict:
        return {"label": self.label, "kind": self.kind, "subarea": self.subarea,
                "subarea_title": self.subarea_title, "earlier_year": self.earlier_year,
                "candidates": [{"subarea": c, "title": t} for c, t in self.candidates],
                "needs_confirmation": self.needs_confirmation}


def _subareas(gb: Guidebook) -> dict[str, Subarea]:
    return {s.code: s for a in gb.areas for s in a.subareas}


def place_label(gb: Guidebook, label: str) -> Placement:
    """Place a 세부영역 label (of a survey, an item bank or an earlier year) in this year's guidebook.

    The title decides, not the number: "Ⅲ-3. 민주시민교육" is 2025's Ⅲ-3, which 2026 offers to its Ⅲ-2.
    A code as typed ("3-2") is this year's; a form's number without a title ("Ⅲ-3") may be any year's
    numbering, so it is unknown with that code as a candidate."""
    subs = _subareas(gb)
    label = " ".join(str(label).split())
    if label in subs:  # a code as typed: "3-2"
        return Placement(label, EXACT, label, subs[label].title)
    code, title = split_label(label)
    key = plain(title)
    if key:
        for s in subs.values():
            if plain(s.title) == key:
                return Placement(label, EXACT, s.code, s.title)
        for e in gb.earlier_subareas:
            if plain(split_label(e.label)[1]) == key and e.subarea in subs:
                return Placement(label, EARLIER, e.subarea, subs[e.subarea].title, earlier_year=e.year)
    return Placement(label, UNKNOWN, candidates=_candidates(gb, code, title))


def _candidates(gb: Guidebook, code: str | None, title: str) -> tuple[tuple[str, str], ...]:
    subs = _subareas(gb)
    out: list[str] = []
    if title:
        from rapidfuzz import fuzz, process
        names = {s.code: plain(s.title) for s in subs.values()}
        names.update({f"{e.subarea}\t{n}": plain(split_label(e.label)[1])
                      for n, e in enumerate(gb.earlier_subareas)})
        for _, _, key in process.extract(plain(title), names, scorer=fuzz.WRatio, limit=MAX_CANDIDATES * 2,
                                         score_cutoff=CANDIDATE_CUTOFF):
            c = key.split("\t", 1)[0]
            if c not in out:
                out.append(c)
    if code in subs and code not in out:
        out.append(code)  # the number the form gave, when this year has it
    return tuple((c, subs[c].title) for c in out[:MAX_CANDIDATES])


def area_of_label(gb: Guidebook, label: str) -> str | None:
    """The 영역 code a 세부영역 or 영역 label belongs to ("Ⅲ. 교육 활동 …", "영역 Ⅲ", "Ⅲ-2. …"), if known."""
    p = place_label(gb, label)
    if p.subarea is not None:
        return p.subarea.split("-", 1)[0]
    codes = {a.code for a in gb.areas}
    text = " ".join(str(label).split())
    numbered = split_label(text)[0]
    if numbered and numbered.split("-", 1)[0] in codes:  # the 영역 number is the same in every year
        return numbered.split("-", 1)[0]
    for a in gb.areas:
        if plain(a.title) and plain(a.title) in plain(text):
            return a.code
    m = _AREA_PREFIX.match(text)
    if m:
        n = str(ROMAN.get(m.group(1), m.group(1)))
        if n in codes:
            return n
    return None


def area_of_indicator_code(gb: Guidebook, code: str | None) -> str | None:
    """"3-2-S1" or "3-2-1" → "3" when the guidebook has that 영역 (the 3 영역 are the same every year)."""
    if not code:
        return None
    head = str(code).split("-", 1)[0]
    return head if head in {a.code for a in gb.areas} else None


def coverage_warnings(gb: Guidebook, survey: Survey) -> list[str]:
    """Guidebook Q9: the questionnaires of the coverage groups (학생, 학부모, 교원) each need items in every
    영역. Korean warnings, empty when covered; the survey is never refused (special schools exist).

    An item's 영역 comes from its `indicator` code, else its factor title, else its domain title."""
    if not gb.coverage_groups or survey.scoring != "guidebook":
        return []
    area_codes = [a.code for a in gb.areas]
    area_title = {a.code: a.title for a in gb.areas}
    by_group: dict[str, set[str]] = {}
    unknown: dict[str, int] = {}
    for d in survey.domains:
        d_area = area_of_label(gb, d.title)
        for f in d.factors:
            f_area = area_of_label(gb, f.title)
            for item in f.items:
                area = area_of_indicator_code(gb, item.indicator) or f_area or d_area
                for g in survey.groups:
                    if g in gb.coverage_groups and item.applies_to(g):
                        if area is None:
                            unknown[g] = unknown.get(g, 0) + 1
                        else:
                            by_group.setdefault(g, set()).add(area)
    out = []
    for g in gb.coverage_groups:
        if g not in survey.groups:
            continue
        missing = [c for c in area_codes if c not in by_group.get(g, set())]
        if not missing:
            continue
        names = ", ".join(f"{ROMAN_OF.get(int(c), c) if c.isdigit() else c} 영역({area_title[c]})" for c in missing)
        line = f"{g} 설문에 {names} 문항이 없습니다"
        if unknown.get(g):
            line += f" (영역을 알 수 없는 문항 {unknown[g]}개는 세지 않았습니다)"
        out.append(line + ". 가이드북은 학생·학부모·교원 설문이 세 영역을 모두 다루도록 안내합니다.")
    return out
