"""Safety commands: backup, backups (list), restore."""

from __future__ import annotations

from pathlib import Path

from ..workspace import backup, restore
from . import add_command


def _ws_path(args) -> Path:
    from . import default_db
    return Path(args.db) if args.db else default_db()


def register(sub, common) -> None:
    p = add_command(sub, common, "backup", cmd_backup, "작업 파일을 백업합니다 (파일 이름을 안 적으면 백업 폴더에)",
                    human=lambda r: f"백업했습니다: {r['backup']}",
                    example="schoolvault-cli --db 학교.sqlite backup D:/백업/학교-2025.sqlite")
    p.add_argument("out", nargs="?", metavar="OUT", help="백업 파일 경로 또는 폴더 (선택)")

    add_command(sub, common, "backups", cmd_backups, "이 작업 파일의 백업 목록 (최신순)", human=_backups_human,
                example="schoolvault-cli --db 학교.sqlite backups")

    p = add_command(sub, common, "restore", cmd_restore,
                    "백업 파일로 작업 파일을 되돌립니다 (지금 파일은 안전 사본으로 남깁니다)",
                    human=_restore_human,
                    example="schoolvault-cli --db 학교.sqlite restore backups/학교.20250301-090000.open.sqlite")
    p.add_argument("file", metavar="FILE", help="복원할 백업 파일")


def cmd_backup(args):
    from ..workspace import lock, open_workspace
    path = _ws_path(args)
    # Open first: refuses a damaged, foreign or newer file with the usual messages, takes the lock,
    # and records the backup in the audit log (a copy of the school's data leaving this file).
    try:
        ws = open_workspace(path)
    except lock.WorkspaceInUse:
        # Another window is working on it: a backup only reads, and SQLite gives it a consistent
        # snapshot, so back up anyway (unrecorded: the log belongs to the writer).
        return {"backup": str(backup.make_backup(path, args.out, reason="manual")), "workspace": str(path)}
    try:
        with ws.transaction():
            ws.audit("backup", out=Path(args.out).name if args.out else None)
        out = backup.make_backup(path, args.out, reason="manual")
    finally:
        ws.close()
    return {"backup": str(out), "workspace": str(path)}


def cmd_backups(args):
    return [b.to_dict() for b in backup.list_backups(_ws_path(args))]


def _backups_human(rows) -> str:
    if not rows:
        return "백업이 없습니다."
    lines = [f"{'만든 때':<19}  {'종류':<14} {'크기':>9}  파일"]
    for r in rows:
        lines.append(f"{r['created'].replace('T', ' '):<19}  {r['label']:<14} {r['size'] // 1024:>7}KB  {r['path']}")
    return "\n".join(lines)


def cmd_restore(args):
    return restore.restore_backup(_ws_path(args), args.file)


def _restore_human(r) -> str:
    lines = [f"복원했습니다: {r['restored_from']} → {r['workspace']}"]
    if r["safety_copy"]:
        lines.append(f"  복원 전 파일은 여기에 남겨 두었습니다: {r['safety_copy']}")
    return "\n".join(lines)
