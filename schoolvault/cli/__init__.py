"""schoolvault-cli: the same jobs as the GUI, headless.

Exit codes: 0 success, 1 data or user error (Korean message on stderr, nothing changed), 2 usage.
Each command module registers its subcommands via `register(subparsers, common)`; a command
handler receives (args) and returns a JSON-able result, printed as JSON with --json.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys
from pathlib import Path

from ..errors import STORAGE_ERRNOS, Cancelled, SchoolVaultError, storage_error

# Command modules, in help order. Add a module here to add commands.
COMMAND_MODULES = ["core", "responses", "safety", "district", "reports"]


def default_db() -> Path:
    from ..paths import default_workspace
    return default_workspace()


def open_ws(args, *, create: bool = False, readonly: bool = False):
    from ..workspace import open_workspace
    return open_workspace(args.db or default_db(), create=create, readonly=readonly)


def add_command(sub, common, name: str, handler, help: str, human=None, example: str = ""):
    """Register subcommand `name` on `sub` the one way every command module does: the same help as
    description, an example as epilog, and `handler`/`human` for main()."""
    p = sub.add_parser(name, parents=[common], help=help, description=help,
                       epilog=f"예: {example}" if example else None)
    p.set_defaults(handler=handler, human=human)
    return p


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors: exit 2 with the usage line, in Korean
        self.print_usage(sys.stderr)
        sys.stderr.write(f"사용법 오류: {message}\n")
        sys.exit(2)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, help="작업 파일 경로 (기본: 사용자 데이터 폴더)")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="결과를 JSON으로 출력")
    parser = _Parser(prog="schoolvault-cli", description="SchoolVault 명령줄 도구 (학교평가·학교조직진단)",
                     parents=[common])
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{name}").register(sub, common)
    return parser


def _version() -> str:
    from .. import __version__
    return f"SchoolVault {__version__}"


def emit(result, as_json: bool) -> None:
    if result is None:
        return
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    elif isinstance(result, str):
        print(result)
    else:
        print(json.dumps(result, ensure_ascii=False, indent=2, default=str))


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    args.db = getattr(args, "db", None)
    args.json = getattr(args, "json", False)
    try:
        result = args.handler(args)
    except SchoolVaultError as e:
        sys.stderr.write(f"오류: {e}\n")
        return 1
    except Cancelled:
        sys.stderr.write("취소되었습니다. 변경된 내용은 없습니다.\n")
        return 1
    except BrokenPipeError:  # output piped into `head`: not an error of ours
        return 0
    except OSError as e:
        if e.errno not in STORAGE_ERRNOS:
            raise
        sys.stderr.write(f"오류: {storage_error(e, e.filename)}\n")  # a full disk is not a traceback
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("중단되었습니다. 변경된 내용은 없습니다.\n")
        return 1
    human = getattr(args, "human", None)
    try:
        if not args.json and human is not None and result is not None:
            print(human(result))
        else:
            emit(result, args.json)
    except BrokenPipeError:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
