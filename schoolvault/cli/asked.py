"""`survey asked`: how many people were asked per group (설문 대상자 수) and the response rate (응답률)."""

from __future__ import annotations

from contextlib import closing

from ..errors import SchoolVaultError
from . import open_ws

EXAMPLE = ("schoolvault-cli survey asked --instrument sodi-example-2025 --group 교원 --count 40\n"
           "목록: schoolvault-cli survey asked --instrument sodi-example-2025 --json")


def register_survey(ssub, common) -> None:
    """Add `asked` under the `survey` command (registered by cli/responses.py)."""
    help = "집단별 설문 대상자 수를 적고 응답률을 봅니다 (--count 없이: 목록)"
    p = ssub.add_parser("asked", parents=[common], help=help, description=help, epilog=f"예: {EXAMPLE}")
    p.set_defaults(handler=cmd_asked, human=asked_human)
    p.add_argument("--instrument", required=True, help="설문 도구 id")
    p.add_argument("--group", help="응답 집단 (교원, 직원, 학생, 학부모); --count와 함께 쓰면 필수")
    p.add_argument("--count", type=int, help="설문을 요청한 사람 수 (0: 지우기)")
    p.add_argument("--year", type=int, help="학년도 (기본: 현재 학년도)")
    p.add_argument("--period", help="응답자를 셀 설문 시기: 중간 또는 학년말 (기본: 학년말)")


def cmd_asked(args):
    from .. import services
    if args.count is not None and not args.group:
        raise SchoolVaultError("대상자 수를 적을 집단을 고르세요.",
                               hint="예: --group 교원 --count 40")
    with closing(open_ws(args, readonly=args.count is None)) as ws:
        if args.count is not None:
            services.set_asked(ws, args.instrument, args.group, args.count, year=args.year)
        out = services.response_rates(ws, args.instrument, year=args.year, period=args.period or "학년말")
        if args.group:
            from ..forms.groups import canonical_group
            g = canonical_group(args.group)
            out["groups"] = [r for r in out["groups"] if r["group"] == g]
        return out


def rate_text(row: dict) -> str:
    """'75.0%', '-' when the count is unknown, with the warning when over 100%."""
    if row["rate"] is None:
        return "-"
    text = f"{row['rate']:.1f}%"
    return f"{text} ({row['warning']})" if row.get("warning") else text


def asked_human(r) -> str:
    lines = [f"{r['instrument']} / {r['year']}학년도 {r['period']} 응답률"]
    for row in r["groups"]:
        asked = f"{row['asked']}명" if row["asked"] is not None else "모름"
        lines.append(f"  {row['group']}: 응답 {row['respondents']}명 / 대상 {asked} → {rate_text(row)}")
    return "\n".join(lines)
