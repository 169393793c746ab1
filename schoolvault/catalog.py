"""Which instruments exist: the files shipped in resources/instruments and those a workspace holds.

Resolution of an id: an instrument the user imported or created in this workspace wins over the
shipped file of the same id (it was chosen on purpose); otherwise the shipped file is used.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from .errors import SchoolVaultError
from .forms.loader import load_instrument, parse_instrument, read_text
from .forms.model import Instrument
from .resources import instruments_dir
from .workspace import frozen
from .workspace.db import Workspace


@dataclass(frozen=True)
class Available:
    instrument: Instrument
    text: str
    source: str  # shipped | imported | created
    filename: str | None

    def summary(self) -> dict:
        i = self.instrument
        return {"id": i.id, "kind": i.kind, "title": i.title, "year": i.year, "source": self.source}


@lru_cache(maxsize=8)
def _shipped(directory: str, stamp: tuple) -> tuple[Available, ...]:
    out = []
    for path in sorted(Path(directory).glob("*.yaml")):
        text = read_text(path)
        out.append(Available(load_instrument(path), text, "shipped", path.name))
    return tuple(out)


def shipped() -> tuple[Available, ...]:
    d = instruments_dir()
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(d.glob("*.yaml")))
    return _shipped(str(d), stamp)


@lru_cache(maxsize=64)
def _parse_cached(text: str, name: str):
    return parse_instrument(text, name)


def parse_frozen(f: frozen.FrozenInstrument):
    inst = _parse_cached(f.content, f"{f.instrument_id} (작업 파일 보관본)")
    if inst.kind == "itembank" and inst.title != f.title:
        # an item bank's title comes from its file name, which the frozen copy does not carry
        inst = replace(inst, title=f.title)
    return inst


def workspace_own(ws: Workspace) -> list[Available]:
    """Instruments imported or created in this workspace (latest version of each id)."""
    latest: dict[str, frozen.FrozenInstrument] = {}
    stored = frozen.all_frozen(ws)
    for f in stored:
        if f.source in ("imported", "created"):
            latest[f.instrument_id] = f
    by_ref = {f.ref: f for f in stored}
    for instrument_id, ref in frozen.current_refs(ws).items():  # re-imported older versions win
        if ref in by_ref and by_ref[ref].instrument_id == instrument_id:
            latest[instrument_id] = by_ref[ref]
    return [Available(parse_frozen(f), f.content, f.source, None) for f in latest.values()]


def available(ws: Workspace | None) -> list[Available]:
    own = workspace_own(ws) if ws is not None else []
    own_ids = {a.instrument.id for a in own}
    return [a for a in shipped() if a.instrument.id not in own_ids] + own


def resolve(ws: Workspace | None, instrument_id: str, kind: str | None = None) -> Available:
    """The instrument to use for new work under this id; SchoolVaultError if unknown."""
    for a in available(ws):
        if a.instrument.id == instrument_id and (kind is None or a.instrument.kind == kind):
            return a
    ids = ", ".join(a.instrument.id for a in available(ws) if kind is None or a.instrument.kind == kind)
    raise SchoolVaultError(f"'{instrument_id}' 도구를 찾을 수 없습니다.",
                           hint=f"'instruments list'로 확인하세요. 사용할 수 있는 도구: {ids}")
