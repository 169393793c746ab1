"""Writing a checked import plan: one transaction, re-import detection, remembered column mappings.

Everything is read and checked before the transaction starts, so a refused file leaves the
workspace exactly as it was; a crash or Cancel during the write rolls the whole import back.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace as dc_replace
from pathlib import Path

from ..errors import ImportRefused, SchoolVaultError
from ..forms.groups import canonical_group
from ..forms.periods import PERIOD_LABELS, require_period
from ..progress import NULL_PROGRESS
from ..workspace import backup, responses
from ..workspace import imports as imports_db
from ..workspace.db import Workspace
from ..workspace.responses import Administration
from . import headers as hd
from .grades import GRADE
from .overlap import Overlap, find_overlap, fingerprints, workspace_key
from .plan import GRADE_SAVED, ImportPlan, no_scale_note, plan_import, wrong_group_text

MAPPING_KEY = "import_mapping:{instrument}:{group}:{signature}"


def form_signature(headers: list[str]) -> str:
    """Identifies a form by its question row, so the same form's next export reuses its mapping."""
    joined = "\x1f".join(hd.normalize(h) for h in headers if h)
    return hashlib.sha256(joined.encode()).hexdigest()[:20]


def remembered_mapping(ws: Workspace, instrument_id: str, group: str, headers: list[str]) -> dict | None:
    raw = ws.setting(MAPPING_KEY.format(instrument=instrument_id, group=group, signature=form_signature(headers)))
    return json.loads(raw) if raw else None


def remember_mapping(ws: Workspace, plan: ImportPlan) -> None:
    """Store the plan's manual choices for this form (call inside the import transaction)."""
    manual = {c.header: c.code for c in plan.columns if c.manual and c.header}
    if not manual:
        return
    headers = [c.header for c in plan.columns]
    ws.set_setting(MAPPING_KEY.format(instrument=plan.instrument, group=plan.group,
                                      signature=form_signature(headers)),
                   json.dumps(manual, ensure_ascii=False))


def load_mapping_file(path: str | Path) -> dict:
    """A --mapping file: JSON {"header, column letter or number": "item code" or null}."""
    path = Path(path)
    if not path.is_file():
        raise SchoolVaultError("연결표 파일이 없습니다.", where=str(path), hint="--mapping 뒤의 파일 경로를 확인하세요.")
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as e:
        raise SchoolVaultError("연결표 파일을 읽을 수 없습니다.", where=str(path),
                               hint=f"다른 프로그램에서 열려 있지 않은지, 읽기 권한이 있는지 확인하세요. ({e.strerror})") from None
    except json.JSONDecodeError as e:
        raise SchoolVaultError(f"연결표 파일의 JSON 형식이 올바르지 않습니다: {e.msg}",
                               where=f"{path.name} {e.lineno}번째 줄",
                               hint='{"머리글 또는 열 문자": "문항 코드"} 형식으로 적으세요.') from None
    except (UnicodeDecodeError, RecursionError):  # a binary file, or JSON nested thousands deep
        raise SchoolVaultError("연결표 파일이 JSON 텍스트가 아닙니다.", where=path.name,
                               hint='UTF-8로 저장한 {"머리글 또는 열 문자": "문항 코드"} 형식의 파일을 고르세요.') from None
    if isinstance(data, dict) and isinstance(data.get("mapping"), dict):
        data = data["mapping"]
    if not isinstance(data, dict) or not all(isinstance(v, (str, type(None))) for v in data.values()):
        raise SchoolVaultError("연결표 파일 형식이 올바르지 않습니다.", where=path.name,
                               hint='{"머리글 또는 열 문자": "문항 코드"} 형식으로 적으세요 (제외할 열은 null).')
    return data


def prepare(ws: Workspace, path: str | Path, instrument_id: str, group: str, *, sheet: str | None = None,
            mapping: dict | None = None, progress=NULL_PROGRESS) -> ImportPlan:
    """The plan for importing this file (reads the file; writes nothing)."""
    from .. import reads

    path = Path(path)
    if not path.exists():
        raise ImportRefused("파일이 없습니다.", where=str(path), hint="경로를 확인하세요.")
    reads.require_school(ws)
    survey = reads.survey(ws, instrument_id)
    group = canonical_group(group)
    if group not in survey.groups:
        raise ImportRefused(f"응답 집단 '{group}'은(는) 이 설문에 없습니다.",
                            hint=f"다음 중 하나: {', '.join(survey.groups)}")

    def remembered(headers: list[str]) -> dict | None:  # an explicit mapping is applied over it
        return remembered_mapping(ws, instrument_id, group, headers)
    return plan_import(path, survey, group, sheet=sheet, mapping=mapping, remembered=remembered,
                       progress=progress)


def _period_notes(summary: dict, period: str, saved: bool) -> None:
    """The period and the 학년 attribute, said in the summary the user reads."""
    summary["period"] = period
    summary["period_label"] = PERIOD_LABELS[period]
    notes = summary.setdefault("notes", [])
    if summary.get("columns_attributes"):
        counts = summary.get("attributes", {}).get(GRADE, {})
        detail = ", ".join(f"{k} {v}명" for k, v in counts.items())
        notes.append((GRADE_SAVED if saved else "학년 문항은 응답자 구분으로 저장됩니다")
                     + (f" ({detail})" if detail else ""))


def earlier_import(ws: Workspace, plan: ImportPlan):
    """The administration this plan's file (or the same answers) was imported as before, if any."""
    from .. import reads

    _, year = reads.require_school(ws)
    return imports_db.find_earlier(ws, year, plan.sha256, plan.content_sha256)


def survey_choices(ws: Workspace) -> list[dict]:
    """Surveys to import into, with their groups and the items/open questions of each group (for the GUI)."""
    from .. import catalog
    from ..forms.model import Survey

    out = []
    for a in catalog.available(ws):
        s = a.instrument
        if not isinstance(s, Survey):
            continue
        out.append({"id": s.id, "title": s.title, "points": s.scale.points, "labels": list(s.scale.labels),
                    "groups": {g: {"items": [(i.code, i.text) for i in s.items_for(g)],
                                   "open": [(q.code, q.text) for q in s.open_questions if q.applies_to(g)]}
                               for g in s.groups}})
    return out


def _local_time(iso: str | None) -> str:
    """'2026-11-25T13:47:13+00:00' → '2026-11-25 22:47' on this computer's clock (as a teacher reads it)."""
    import datetime as dt
    try:
        return dt.datetime.fromisoformat(str(iso)).astimezone().strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return str(iso)


def _replace_target(ws: Workspace, year: int, replace, earlier: Administration | None,
                    overlap: Overlap) -> Administration | None:
    """The administration a --replace names: its id, or (replace=True) the import this file repeats."""
    if replace is None or replace is False:
        return None
    if replace is not True:
        adm = next((a for a in responses.administrations(ws, year) if a.id == int(replace)), None)
        if adm is None:
            raise ImportRefused(f"바꿀 가져오기 {replace}번이 {year}학년도에 없습니다.", where="--replace",
                                hint="번호는 'imports list'로 확인하세요.")
        return adm
    if earlier is not None:
        return earlier
    candidates = {a.id: a for a in overlap.administrations}
    if len(candidates) == 1:
        return next(iter(candidates.values()))
    listed = ", ".join(f"{a.id}번 '{a.source_name}'" for a in candidates.values())
    raise ImportRefused("어느 가져오기를 바꿀지 알 수 없습니다" + (f" (겹치는 가져오기: {listed})." if listed else
                                                          ": 이 파일과 겹치는 이전 가져오기가 없습니다."),
                        where="--replace", hint="'imports list'로 번호를 확인해 '--replace 번호'로 지정하세요.")


def _refuse_partial(plan: ImportPlan, partial: list) -> None:
    adm, found, total = partial[0]
    raise ImportRefused(
        f"이 파일의 응답 {found}행은 이전 가져오기 {adm.id}번('{adm.source_name}', {_local_time(adm.imported_at)})에 "
        f"이미 있는데, 그 가져오기의 나머지 {total - found}행은 이 파일에 없습니다 (고친 파일이거나 일부만 내려받은 파일).",
        where=plan.path.name,
        hint=f"이 파일로 그 가져오기를 바꾸려면 --replace {adm.id}를 붙이세요 (설문 화면: 이전 가져오기를 지운 뒤 가져오기).")


def _overlap_note(overlap: Overlap, kept: int) -> str:
    done = ", ".join(f"{a.id}번 '{a.source_name}'" for a, _ in overlap.full)
    return (f"이미 가져온 응답 {len(overlap.covered)}행(가져오기 {done})은 건너뛰고 새 응답 {kept}행만 가져왔습니다")


def _without_covered(plan: ImportPlan, overlap: Overlap) -> ImportPlan:
    """The plan with the rows an earlier import holds moved to the skipped rows."""
    if not overlap.covered:
        return plan
    keep = [i for i in range(len(plan.rows)) if i not in overlap.covered]
    skipped = plan.skipped + [{"row": plan.rows[i].row_no, "reason": f"이미 가져온 응답 (가져오기 {a}번)"}
                              for i, a in sorted(overlap.covered.items())]
    return dc_replace(plan, rows=[plan.rows[i] for i in keep], row_keys=[plan.row_keys[i] for i in keep],
                      skipped=sorted(skipped, key=lambda x: x["row"]))


def check_plan(ws: Workspace, plan: ImportPlan, *, replace=False, force_group: bool = False
               ) -> tuple[ImportPlan, Administration | None, Overlap, list[str]]:
    """What committing would do, or ImportRefused: (plan of the rows to write, import replaced, overlap, notes).

    Refuses a file imported before (same bytes or answers) unless `replace`; a file whose headers fit
    another group clearly better unless `force_group`; a file that holds part of an earlier import (with
    submission times: a corrected file) unless that import is replaced; a file with no new rows."""
    from .. import reads

    _, year = reads.require_school(ws)
    if plan.likely_group and not force_group:
        raise ImportRefused(wrong_group_text(plan.group, plan.likely_group, plan.group_matches), where=plan.path.name,
                            hint=f"'{plan.likely_group}' 응답이면 --group {plan.likely_group}로 가져오세요. "
                                 f"'{plan.group}' 응답이 맞으면 --force-group을 붙이세요.")
    earlier = imports_db.find_earlier(ws, year, plan.sha256, plan.content_sha256)
    if earlier and not replace:
        same_name = earlier.source_name == plan.path.name
        raise ImportRefused("이미 가져온 파일입니다." if same_name else
                            f"이미 가져온 파일 '{earlier.source_name}'과(와) 답이 같습니다 (같은 응답을 다른 형식으로 저장한 파일).",
                            where=f"{plan.path.name} ({earlier.source_name}, {_local_time(earlier.imported_at)} 가져옴)",
                            hint=f"다시 가져오려면 이전 가져오기를 바꾸세요 (--replace {earlier.id}).")
    overlap = find_overlap(ws, plan, year)
    target = _replace_target(ws, year, replace, earlier, overlap)
    if target is not None:
        overlap = find_overlap(ws, plan, year, exclude=target.id)
    notes = [no_scale_note(plan.no_scale_rows, plan.no_scale_with_comment)] if plan.no_scale_rows else []
    if overlap.partial:
        if plan.has_stamp:
            _refuse_partial(plan, overlap.partial)
        same = sum(found for _, found, _ in overlap.partial)
        notes.append(f"이전 가져오기와 답이 똑같은 행 {same}개가 있지만, 응답 시각 열이 없어 다른 사람의 응답으로 보고 "
                     "모두 가져왔습니다")
    if overlap.covered and len(overlap.covered) == len(plan.rows):
        adm = overlap.full[0][0]
        raise ImportRefused(f"새 응답이 없습니다: 이 파일의 응답 {len(plan.rows)}행은 모두 이미 가져왔습니다 "
                            f"(가져오기 {adm.id}번 '{adm.source_name}', {_local_time(adm.imported_at)}).",
                            where=plan.path.name, hint=f"이 파일로 바꾸려면 --replace {adm.id}를 붙이세요.")
    kept = _without_covered(plan, overlap)
    if overlap.covered:
        notes.append(_overlap_note(overlap, len(kept.rows)))
    return kept, target, overlap, notes


def commit_plan(ws: Workspace, plan: ImportPlan, *, replace=False, method: str = "import",
                period: str | None = None, force_group: bool = False, progress=NULL_PROGRESS) -> dict:
    """Write a plan in one transaction, only the rows no earlier import holds (`check_plan` says what it
    refuses). `replace` is True (the import this file repeats) or the id of the import to replace.

    `period` is 중간 or 학년말 (aliases accepted; default 학년말)."""
    from .. import reads

    period = require_period(period)
    _, year = reads.require_school(ws)
    plan, target, overlap, notes = check_plan(ws, plan, replace=replace, force_group=force_group)
    summary = plan.summary()
    stored = {k: summary[k] for k in ("file", "sheet", "rows_read", "respondents", "columns_dropped",
                                      "items_missing")}
    stored.update(content_sha256=plan.content_sha256, skipped=len(plan.skipped),
                  missing_cells=len(plan.missing_cells), period=period, attributes=summary["attributes"],
                  already_imported=len(overlap.covered), rows_without_scale_answers=plan.no_scale_rows)
    if target is not None or len(plan.rows) >= backup.BIG_IMPORT_ROWS:
        backup.backup_before_change(ws, "import")
    with ws.transaction():
        if target is not None:
            responses.delete_administration(ws, target.id)
        ref = reads.freeze_for_use(ws, plan.instrument)
        adm = responses.add_administration(ws, year=year, instrument_ref=ref, group=plan.group, rows=plan.rows,
                                           source_name=plan.path.name, source_sha256=plan.sha256,
                                           method=method, summary=stored, period=period, progress=progress)
        if method == "import":
            key = workspace_key(ws, create=True)
            assert key is not None
            imports_db.add_fingerprints(ws, adm, fingerprints(key, plan.row_keys))
        remember_mapping(ws, plan)
        ws.audit("import_responses", file=plan.path.name, instrument=plan.instrument, group=plan.group,
                 period=period, respondents=len(plan.rows), replaced=target.id if target else None,
                 already_imported=len(overlap.covered), dropped_columns=len(summary["columns_dropped"]))
    summary.update(administration=adm, replaced=target.id if target else None, dry_run=False,
                   already_imported_rows=len(overlap.covered))
    summary.setdefault("notes", []).extend(notes)
    _period_notes(summary, period, saved=True)
    return summary


def import_responses(ws: Workspace, path: str | Path, instrument_id: str, group: str, *,
                     sheet: str | None = None, mapping: dict | None = None, dry_run: bool = False,
                     replace=False, period: str | None = None, force_group: bool = False,
                     progress=NULL_PROGRESS) -> dict:
    """Import one response file for one group and period (중간 | 학년말, default 학년말); all or nothing.
    Returns the import summary.

    Raises ImportRefused (nothing written) for unreadable files, files without matching columns
    or answers, and a file imported before (unless replace); SchoolVaultError for an unknown period.
    """
    period = require_period(period)  # before reading the file: a typo costs nothing
    plan = prepare(ws, path, instrument_id, group, sheet=sheet, mapping=mapping, progress=progress)
    if dry_run:
        from .. import reads
        _, year = reads.require_school(ws)
        earlier = imports_db.find_earlier(ws, year, plan.sha256, plan.content_sha256)
        overlap = find_overlap(ws, plan, year, exclude=earlier.id if earlier and replace else None)
        summary = _without_covered(plan, overlap).summary()
        summary.update(dry_run=True, already_imported=bool(earlier), already_imported_rows=len(overlap.covered))
        if plan.no_scale_rows:
            summary.setdefault("notes", []).append(no_scale_note(plan.no_scale_rows, plan.no_scale_with_comment))
        if overlap.covered:
            summary.setdefault("notes", []).append(_overlap_note(overlap, summary["respondents"]).replace(
                "가져왔습니다", "가져옵니다"))
        _period_notes(summary, period, saved=False)
        return summary
    return commit_plan(ws, plan, replace=replace, period=period, force_group=force_group, progress=progress)
