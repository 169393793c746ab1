"""Frozen dataclasses for instruments. Pure data: no I/O, no SQL, no Qt.

The structure mirrors the YAML files in resources/instruments/ one to one, so
`to_dict()` gives back what `instruments show` prints and what the file holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Scale:
    """A Likert scale: answers are integers 1..points, labels listed low → high."""

    points: int
    labels: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"points": self.points, "labels": list(self.labels)}


@dataclass(frozen=True)
class Item:
    """One Likert question (문항). `groups` empty = asked of every group."""

    code: str
    text: str
    groups: tuple[str, ...] = ()
    reverse: bool = False
    indicator: str | None = None  # guidebook indicator code this item evidences

    def applies_to(self, group: str) -> bool:
        return not self.groups or group in self.groups

    def to_dict(self) -> dict:
        d: dict = {"code": self.code, "text": self.text}
        if self.groups:
            d["groups"] = list(self.groups)
        if self.reverse:
            d["reverse"] = True
        if self.indicator:
            d["indicator"] = self.indicator
        return d


@dataclass(frozen=True)
class Factor:
    """요인: a set of items scored together."""

    code: str
    title: str
    items: tuple[Item, ...]

    def items_for(self, group: str) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.applies_to(group))

    def to_dict(self) -> dict:
        return {"code": self.code, "title": self.title, "items": [i.to_dict() for i in self.items]}


@dataclass(frozen=True)
class Domain:
    """영역: a set of factors."""

    code: str
    title: str
    factors: tuple[Factor, ...]

    def to_dict(self) -> dict:
        return {"code": self.code, "title": self.title, "factors": [f.to_dict() for f in self.factors]}


@dataclass(frozen=True)
class OpenQuestion:
    """서술형 문항: an open-ended question whose answers become comments."""

    code: str
    text: str
    groups: tuple[str, ...] = ()

    def applies_to(self, group: str) -> bool:
        return not self.groups or group in self.groups

    def to_dict(self) -> dict:
        d: dict = {"code": self.code, "text": self.text}
        if self.groups:
            d["groups"] = list(self.groups)
        return d


@dataclass(frozen=True)
class Survey:
    """A survey instrument (설문): scale, respondent groups, domains → factors → items."""

    id: str
    title: str
    year: int
    scale: Scale
    groups: tuple[str, ...]
    domains: tuple[Domain, ...]
    open_questions: tuple[OpenQuestion, ...] = ()
    description: str = ""
    scoring: str = "respondent"  # SCORING_RULES: "guidebook" pools answers, "respondent" averages respondents
    kind: str = field(default="survey", init=False)

    def factors(self) -> Iterator[Factor]:
        for d in self.domains:
            yield from d.factors

    def items(self) -> Iterator[Item]:
        for f in self.factors():
            yield from f.items

    def items_for(self, group: str) -> list[Item]:
        return [i for i in self.items() if i.applies_to(group)]

    def item(self, code: str) -> Item:
        for i in self.items():
            if i.code == code:
                return i
        raise KeyError(code)

    def to_dict(self) -> dict:
        d: dict = {
            "kind": "survey", "id": self.id, "title": self.title, "year": self.year,
            "scoring": self.scoring, "scale": self.scale.to_dict(), "groups": list(self.groups),
            "domains": [x.to_dict() for x in self.domains],
        }
        if self.description:
            d["description"] = self.description
        if self.open_questions:
            d["open_questions"] = [q.to_dict() for q in self.open_questions]
        return d


@dataclass(frozen=True)
class RatingScale:
    """The self-evaluation rating levels (평가 등급), 1..len(labels), low → high."""

    labels: tuple[str, ...]

    @property
    def points(self) -> int:
        return len(self.labels)

    def to_dict(self) -> dict:
        return {"labels": list(self.labels)}


@dataclass(frozen=True)
class Indicator:
    """평가지표. `rubric[r-1]` describes rating r; `survey_items` are "INSTRUMENT:ITEM" links."""

    code: str
    title: str
    type: str  # "common" (공통지표) | "autonomous" (자율지표)
    levels: tuple[str, ...] = ()  # school levels it applies to; empty = all
    criteria: tuple[str, ...] = ()
    rubric: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    survey_items: tuple[str, ...] = ()

    def applies_to_level(self, level: str) -> bool:
        return not self.levels or level in self.levels

    def to_dict(self) -> dict:
        d: dict = {"code": self.code, "title": self.title, "type": self.type}
        if self.levels:
            d["levels"] = list(self.levels)
        d["criteria"] = list(self.criteria)
        d["rubric"] = list(self.rubric)
        d["evidence"] = list(self.evidence)
        if self.survey_items:
            d["survey_items"] = list(self.survey_items)
        return d


@dataclass(frozen=True)
class Subarea:
    """세부영역."""

    code: str
    title: str
    indicators: tuple[Indicator, ...]

    def to_dict(self) -> dict:
        return {"code": self.code, "title": self.title,
                "indicators": [i.to_dict() for i in self.indicators]}


@dataclass(frozen=True)
class Area:
    """영역."""

    code: str
    title: str
    subareas: tuple[Subarea, ...]

    def to_dict(self) -> dict:
        return {"code": self.code, "title": self.title,
                "subareas": [s.to_dict() for s in self.subareas]}


@dataclass(frozen=True)
class Level:
    """One of the year's 4단계 (매우 우수 …): a rounded mean at or above `min` reaches it."""

    label: str
    min: float | None  # None only for the lowest level: everything below the others

    def to_dict(self) -> dict:
        return {"label": self.label} if self.min is None else {"label": self.label, "min": self.min}


@dataclass(frozen=True)
class SurveyLevels:
    """The year's 4단계 of a guidebook-scored mean (가이드북 p.51): for surveys on a `scale_points`
    scale, the mean is rounded half up to `decimals` places and placed by `levels` (highest first)."""

    scale_points: int
    decimals: int
    levels: tuple[Level, ...]

    def to_dict(self) -> dict:
        return {"scale_points": self.scale_points, "decimals": self.decimals,
                "levels": [x.to_dict() for x in self.levels]}


@dataclass(frozen=True)
class EarlierSubarea:
    """A 세부영역 label of an earlier year and the 세부영역 of this year it is offered to (never applied
    silently: the user confirms)."""

    year: int
    label: str
    subarea: str

    def to_dict(self) -> dict:
        return {"year": self.year, "label": self.label, "subarea": self.subarea}


@dataclass(frozen=True)
class Guidebook:
    """학교평가 가이드북: areas → subareas → indicators, with a rating scale.

    `survey_levels` holds the year's 4단계 thresholds for 교육공동체 survey results (None: the year
    defines none)."""

    id: str
    title: str
    year: int
    rating: RatingScale
    areas: tuple[Area, ...]
    description: str = ""
    survey_levels: SurveyLevels | None = None
    coverage_groups: tuple[str, ...] = ()  # questionnaires of these groups need items in every 영역 (warn)
    composed: bool = False  # 평가지표 are composed by the school under the fixed 세부영역 (2026 on)
    earlier_subareas: tuple[EarlierSubarea, ...] = ()
    kind: str = field(default="guidebook", init=False)

    def indicators(self) -> Iterator[Indicator]:
        for a in self.areas:
            for s in a.subareas:
                yield from s.indicators

    def indicator(self, code: str) -> Indicator:
        for i in self.indicators():
            if i.code == code:
                return i
        raise KeyError(code)

    def locate(self, code: str) -> tuple[Area, Subarea, Indicator]:
        for a in self.areas:
            for s in a.subareas:
                for i in s.indicators:
                    if i.code == code:
                        return a, s, i
        raise KeyError(code)

    def to_dict(self) -> dict:
        d: dict = {"kind": "guidebook", "id": self.id, "title": self.title, "year": self.year,
                   "rating": self.rating.to_dict()}
        if self.survey_levels is not None:
            d["survey_levels"] = self.survey_levels.to_dict()
        if self.coverage_groups:
            d["coverage"] = {"groups": list(self.coverage_groups)}
        if self.composed:
            d["composed"] = True
        if self.earlier_subareas:
            d["earlier_subareas"] = [e.to_dict() for e in self.earlier_subareas]
        d["areas"] = [a.to_dict() for a in self.areas]
        if self.description:
            d["description"] = self.description
        return d


@dataclass(frozen=True)
class ItemBankSet:
    """One (indicator × respondent group) set of example sentences from the official bank.

    `group` is None in a pool without 평가주체 (2026): the group is chosen when building a survey."""

    area: str
    subarea: str
    indicator: str
    group: str | None
    items: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"area": self.area, "subarea": self.subarea, "indicator": self.indicator,
                "group": self.group, "items": list(self.items)}

    @classmethod
    def from_dict(cls, d: dict) -> ItemBankSet:
        return cls(area=d["area"], subarea=d["subarea"], indicator=d["indicator"], group=d.get("group"),
                   items=tuple(d["items"]))


@dataclass(frozen=True)
class ItemBank:
    """The education office's example item bank (학교평가문항 예시자료), imported as is."""

    id: str
    title: str
    year: int
    sets: tuple[ItemBankSet, ...]
    kind: str = field(default="itembank", init=False)

    def to_dict(self) -> dict:
        return {"kind": "itembank", "id": self.id, "title": self.title, "year": self.year,
                "sets": [s.to_dict() for s in self.sets]}


Instrument = Survey | Guidebook | ItemBank
