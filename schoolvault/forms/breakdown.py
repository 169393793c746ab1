"""Breaking a group down by a respondent classification (응답자 구분: 학년), and which cells may leave the school.

A respondent who ticked several grades (a parent of a 1st and a 3rd grader) counts in every cell they
ticked, so the cells of a group can add up to more than the group. A respondent who gave no 학년 is
counted in the cell NO_ANSWER.

Disclosure (the one rule every document, export and district file follows): a cell with fewer than
MIN_GROUP_N respondents is suppressed outside the school, and so is any cell that the published group
total and the other cells would give away: when exactly one cell of a group is suppressed and the group
figure is published, the smallest other cell is suppressed too (complementary suppression). With
multi-grade parents the cells overlap and subtraction gives less away, but the same rule applies.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from .scoring import MIN_GROUP_N, SUPPRESSED, suppressed

GRADE = "학년"
NO_ANSWER = "무응답"
BREAKDOWNS = (GRADE,)  # what `--by` accepts


def cell_key(label: str) -> tuple:
    """Order of cells: 1학년, 2학년 … by number, anything else by name, 무응답 last."""
    m = re.match(r"(\d+)", label)
    return (label == NO_ANSWER, int(m.group(1)) if m else 99, label)


def cells_of(values: Sequence[Sequence[str]]) -> dict[str, list[int]]:
    """Cell label → indices of the respondents in it, from each respondent's values (several allowed)."""
    cells: dict[str, list[int]] = {}
    for n, vals in enumerate(values):
        for v in (vals or (NO_ANSWER,)):
            cells.setdefault(v, []).append(n)
    return {k: cells[k] for k in sorted(cells, key=cell_key)}


def hidden_cells(counts: Mapping[str, int], total: int | None) -> set[str]:
    """Cells of one group's breakdown that must not leave the school.

    `counts` is respondents per cell; `total` the group's respondents when the group figure is
    published beside the cells (None when it is not). A group under MIN_GROUP_N hides every cell.
    Cells with no respondents have no figures and take no part."""
    cells = {c: n for c, n in counts.items() if n > 0}
    if total is not None and suppressed(total):
        return set(cells)
    hidden = {c for c, n in cells.items() if suppressed(n)}
    if len(hidden) == 1 and total is not None:
        rest = sorted((n, cell_key(c), c) for c, n in cells.items() if c not in hidden)
        if rest:
            hidden.add(rest[0][2])
    return hidden


def publishable(breakdown: dict) -> dict:
    """A `services.stats_by` result as it may leave the school: every cell `hidden_cells` names is
    replaced by {"n": "n<5", "suppressed": True} (no figures, no count), the others lose the flag."""
    out = {k: v for k, v in breakdown.items() if k != "groups"}
    out["groups"] = {}
    for g, entry in breakdown["groups"].items():
        hidden = hidden_cells({c: st["n"] for c, st in entry["cells"].items()},
                              entry["n"] if entry.get("total") is not None else None)
        cells = {c: ({"n": SUPPRESSED, "suppressed": True} if c in hidden else
                     {k: v for k, v in st.items() if k != "suppressed_outside"})
                 for c, st in entry["cells"].items()}
        published = {k: v for k, v in entry.items() if k not in ("cells", "hidden_outside")}
        if suppressed(entry["n"]):
            published["n"] = SUPPRESSED
            published.pop("total", None)
        out["groups"][g] = {**published, "cells": cells}
    return out


__all__ = ["BREAKDOWNS", "GRADE", "MIN_GROUP_N", "NO_ANSWER", "cell_key", "cells_of", "hidden_cells", "publishable"]
