"""Open-ended answers (서술형 의견): listing them without meaningless answers, picking them for the report.

`is_meaningless` is the one rule of which comments count: the comment picker, the results page
(`results.survey_comments`) and every document (`reports.data.comments`) leave out the same answers."""

from __future__ import annotations

import re

from ..forms.groups import canonical_group
from ..masking import personal_kinds
from ..workspace import responses
from ..workspace.db import Workspace

_NON_WORD = re.compile(r"[\W_]+")
# "없음", "없습니다", "특별히 없어요", "딱히 없음", "의견 없음", "해당 없음" …
_NOTHING = re.compile(r"^(?:특별히|딱히|별로|별다른|따로|지금은|현재|아직|저는|전)?(?:의견|건의|할말|건의사항|사항)?(?:은|이|는)?"
                      r"(?:해당)?(?:없|업|엄)(?:음|습니다|어요|어용|다|슴|읍니다|네요|는데요|고요)?$")
_MEANINGLESS = {"무", "x", "xx", "no", "none", "na", "nan", "null", "ㅇ", "ㅇㅇ", "ㄴ", "ㄴㄴ", "ㅡ", "노", "패스",
                "pass", "nothing", "모름", "모르겠음", "모르겠습니다", "감사합니다", "0"}


def is_meaningless(text: str | None) -> bool:
    """Empty, only dots or dashes, or a way of saying "nothing" (없음, 없습니다, 특별히 없어요 …)."""
    if text is None:
        return True
    key = _NON_WORD.sub("", str(text)).lower()
    return not key or key in _MEANINGLESS or bool(_NOTHING.match(key))


def list_comments(ws: Workspace, instrument_id: str, group: str | None = None, year: int | None = None,
                  *, include_meaningless: bool = False) -> list[dict]:
    """Comments of the year's administrations of an instrument: id, item, question, group, text, selected,
    personal (flagged at import: the text holds personal data) and personal_kinds (what was found, Korean)."""
    from .. import catalog, reads
    from ..workspace import frozen

    if year is None:
        _, year = reads.require_school(ws)
    g = canonical_group(group) if group else None
    out = []
    for adm in responses.administrations(ws, year, instrument_id, g):
        inst = catalog.parse_frozen(frozen.get(ws, adm.instrument_ref))
        texts = {q.code: q.text for q in getattr(inst, "open_questions", ())}
        for cid, question, text, selected, personal in responses.comments(ws, [adm.id]):
            if not include_meaningless and is_meaningless(text):
                continue
            kinds = personal_kinds(text)
            out.append({"id": cid, "item": question, "question": texts.get(question, question), "group": adm.group,
                        "text": text, "selected": bool(selected), "personal": bool(personal or kinds),
                        "personal_kinds": kinds})
    return out


def select_comments(ws: Workspace, ids: list[int], selected: bool = True) -> int:
    """Mark comments as picked (or not) for the report."""
    with ws.transaction():
        for cid in ids:
            responses.set_comment_selected(ws, cid, selected)
        ws.audit("comments_select", count=len(ids), selected=selected)
    return len(ids)
