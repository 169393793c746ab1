"""Rows already imported: a later download of the same form holds the earlier rows plus new ones.

Each imported respondent keeps a fingerprint: HMAC-SHA-256, under a random key kept in the workspace's
settings, of the row's submission time (timestamp / response-number columns) and answers
(`plan.row_key`). It tells one submission from another and cannot be turned back into anything: no
name, e-mail or other dropped column goes into it, and without the workspace's key the same answers give
another fingerprint. Imports made before fingerprints existed are recognised when they are the first
rows of the new file (their stored content hash equals the running hash after those rows).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import Counter, deque
from dataclasses import dataclass, field

from ..workspace import imports as imports_db
from ..workspace.db import Workspace
from ..workspace.responses import Administration
from .plan import ImportPlan

KEY_SETTING = "row_fingerprint_key"
FINGERPRINT_HEX = 32  # 128 bits: no two submissions of a school collide


def workspace_key(ws: Workspace, *, create: bool) -> bytes | None:
    """The workspace's fingerprint key; made (inside the caller's transaction) when `create`."""
    raw = ws.setting(KEY_SETTING)
    if raw is None and create:
        raw = secrets.token_hex(32)
        ws.set_setting(KEY_SETTING, raw)
    return bytes.fromhex(raw) if raw else None


def fingerprints(key: bytes, row_keys: list[bytes]) -> list[str]:
    return [hmac.new(key, k, hashlib.sha256).hexdigest()[:FINGERPRINT_HEX] for k in row_keys]


@dataclass
class Overlap:
    """Which rows of a plan an earlier import already holds."""

    covered: dict[int, int] = field(default_factory=dict)  # plan row index → administration id
    full: list[tuple[Administration, int]] = field(default_factory=list)  # earlier imports wholly in the file
    partial: list[tuple[Administration, int, int]] = field(default_factory=list)  # (import, found, its rows)

    @property
    def administrations(self) -> list[Administration]:
        return [a for a, _ in self.full] + [a for a, _, _ in self.partial]


def find_overlap(ws: Workspace, plan: ImportPlan, year: int, *, exclude: int | None = None) -> Overlap:
    """The plan's rows found in earlier imports of the same survey and group in `year` (but `exclude`).

    An earlier import whose rows are all in the file is covered row by row (a later download). One whose
    rows are only partly there is reported as partial (a corrected file, or a coincidence when the file has
    no submission time); its rows are not covered."""
    out = Overlap()
    earlier = [e for e in imports_db.import_fingerprints(ws, year, plan.instrument, plan.group)
               if e[0].id != exclude]
    if not earlier:
        return out
    key = workspace_key(ws, create=False)
    mine = fingerprints(key, plan.row_keys) if key else []
    where: dict[str, deque[int]] = {}
    for i, fp in enumerate(mine):
        where.setdefault(fp, deque()).append(i)
    for adm, content_sha, fps in earlier:
        if not fps:
            first = plan.prefix_digests.get(content_sha or "")
            if first and adm.n_respondents and all(i not in out.covered for i in range(first)):
                out.covered.update({i: adm.id for i in range(first)})
                out.full.append((adm, first))
            continue
        need = Counter(fps)
        found = sum(min(c, len(where.get(fp, ()))) for fp, c in need.items())
        if found == len(fps):
            for fp in fps:
                out.covered[where[fp].popleft()] = adm.id
            out.full.append((adm, found))
        elif found:
            out.partial.append((adm, found, len(fps)))
    return out
