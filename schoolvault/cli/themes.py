"""comments --themes / --keywords: open answers grouped by theme, and each group's distinctive keywords.

Registered through the `comments` command of cli/responses.py (one command, more views)."""

from __future__ import annotations

import sys
from contextlib import closing

from ..progress import Progress
from . import open_ws


def _stderr_progress(done: int, total: int, label: str) -> None:
    if label and sys.stderr.isatty():
        sys.stderr.write(f"\r{label} {done}/{total}   ")


def cmd_comment_analysis(args) -> dict:
    """--themes: {"themes": …}; --keywords: {"keywords": …}; both: both. With `text` for the human output."""
    from .. import themes
    from ..forms.periods import DOCUMENT_PERIOD
    period = args.period or DOCUMENT_PERIOD
    progress = Progress(_stderr_progress)
    out: dict = {}
    text = []
    with closing(open_ws(args, readonly=True)) as ws:
        if args.themes:
            r = themes.comment_themes(ws, args.instrument, args.group, year=args.year, period=period,
                                      progress=progress)
            out.update(r.to_dict())
            text.append(themes.theme_text(r))
        if args.keywords:
            k = themes.group_keywords(ws, args.instrument, year=args.year, period=period, progress=progress)
            out["keywords"] = k["keywords"]
            out.setdefault("groups", k["groups"])
            text.append("집단별 핵심어 (다른 집단보다 많이 쓴 말)\n" + themes.keywords_text(k))
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    if not args.json:
        out = {"text": "\n\n".join(text)}
    return out
