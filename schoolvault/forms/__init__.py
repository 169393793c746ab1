"""Instrument model: guidebooks (평가지표), surveys (설문), item banks (문항 예시자료) — all data files."""

from .model import (  # noqa: F401
    Area,
    Domain,
    Factor,
    Guidebook,
    Indicator,
    Instrument,
    Item,
    ItemBank,
    ItemBankSet,
    OpenQuestion,
    RatingScale,
    Scale,
    Subarea,
    Survey,
)
