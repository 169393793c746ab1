"""Opening evaluation years: the guidebook a year freezes, the indicators preselected or carried from last
year (환류), and when a composed year asks the user to place last year's indicators instead."""

from __future__ import annotations

from . import catalog
from .errors import SchoolVaultError
from .forms.model import Guidebook
from .reads import plain_title, require_school
from .workspace import frozen, selfeval
from .workspace import school as school_db
from .workspace.db import Workspace


def _guidebook_available_for(year: int) -> catalog.Available:
    books = [a for a in catalog.shipped() if a.instrument.kind == "guidebook"]
    if not books:
        raise SchoolVaultError("평가지표(가이드북) 파일이 없습니다.", hint="resources/instruments를 확인하세요.")
    same = [a for a in books if a.instrument.year == year]
    older = sorted((a for a in books if a.instrument.year <= year), key=lambda a: a.instrument.year)
    return (same or older or books)[-1]


def guidebook_for_year(ws: Workspace, year: int) -> catalog.Available:
    """The guidebook a new year freezes: the workspace's own file of that year, else the shipped file of
    that year (2026 is not 2025 renamed), else the workspace's own file, else the latest shipped before."""
    own = [a for a in catalog.workspace_own(ws) if a.instrument.kind == "guidebook"]
    shipped = _guidebook_available_for(year)
    return ([a for a in own if a.instrument.year == year]
            or ([shipped] if shipped.instrument.year == year or not own else own))[-1]


def start_year(ws: Workspace, year: int, *, carry_from: int | None = None) -> None:
    """Open an evaluation year: freeze its guidebook, preselect the common indicators for the level.

    With carry_from, last year's chosen indicators and improvement plans become the new plan's
    starting point (환류); last year's results stay untouched for comparison. Call in a transaction.
    """
    s = school_db.get_school(ws)
    if year in school_db.years(ws):
        school_db.set_current_year(ws, year)
        return
    gb_av = guidebook_for_year(ws, year)
    ref = frozen.freeze(ws, gb_av.instrument, gb_av.text, gb_av.source, gb_av.filename)
    school_db.add_year(ws, year, ref)
    gb = gb_av.instrument
    assert isinstance(gb, Guidebook)  # guidebook_for_year picks guidebooks only
    if carry_from is not None and needs_placement(ws, gb, carry_from):
        pass  # last year's indicators enter these 세부영역 only as the user places them (composing.py)
    elif carry_from is not None:
        prev = {e.indicator: e for e in selfeval.entries(ws, carry_from)}
        for code, sub, definition in selfeval.custom_indicators(ws, carry_from):
            selfeval.save_custom_indicator(ws, year, code, sub, definition)
        for code in prev:
            selfeval.set_chosen(ws, year, code, True)
    elif not gb.composed:  # in a composed year the school composes every 평가지표: nothing is preselected
        for ind in gb.indicators():
            if ind.type == "common" and (s is None or ind.applies_to_level(s.level)):
                selfeval.set_chosen(ws, year, ind.code, True)
    school_db.set_current_year(ws, year)


def needs_placement(ws: Workspace, gb: Guidebook, from_year: int) -> bool:
    """True when `gb` is a composed year whose 세부영역 differ from `from_year`'s: last year's indicators
    are then proposed for placing (composing.carry_proposals), never carried by code."""
    ref = school_db.guidebook_ref(ws, from_year)
    if not gb.composed or ref is None:
        return False
    def subareas(book: Guidebook) -> set:
        return {(s.code, plain_title(s.title)) for a in book.areas for s in a.subareas}
    return subareas(catalog.parse_frozen(frozen.get(ws, ref))) != subareas(gb)


def new_year(ws: Workspace, year: int | None = None) -> int:
    """Start next year from the current one (새 학년도 시작)."""
    _, cur = require_school(ws)
    year = year or cur + 1
    if year in school_db.years(ws):
        raise SchoolVaultError(f"{year}학년도는 이미 있습니다.", hint="다른 연도를 고르세요.")
    if year < cur:  # a typo (2024 for 2026) would make a past year the current one
        raise SchoolVaultError(f"{year}학년도는 지금 학년도({cur})보다 앞입니다.",
                               hint=f"새 학년도는 {cur + 1}처럼 지금보다 뒤의 연도로 적으세요.")
    with ws.transaction():
        start_year(ws, year, carry_from=cur)
        ws.audit("new_year", year=year, carried_from=cur)
    return year
