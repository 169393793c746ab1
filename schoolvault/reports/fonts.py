"""Nanum fonts (OFL, shipped in resources/fonts/) registered with reportlab, once per process.

reportlab embeds only the glyphs a document uses (subset), so a report stays small while every
Korean glyph is in the file — a PDF attached to an official document must not depend on the
reader's fonts.
"""

from __future__ import annotations

import threading

from ..errors import SchoolVaultError
from ..resources import fonts_dir

FONT = "NanumGothic"
FONT_BOLD = "NanumGothic-Bold"
_FILES = {FONT: "NanumGothic.ttf", FONT_BOLD: "NanumGothicBold.ttf"}
_lock = threading.Lock()
_registered = False
_glyphs: frozenset[int] = frozenset()
# Characters official texts use that the Nanum fonts lack, and what to print instead.
SUBSTITUTES = str.maketrans({"\u2027": "·", "\u2219": "·", "\uff65": "·", "\u2212": "-", "\u2713": "V",
                             "\u2714": "V", "\u2717": "X", "\u2610": "□", "\u21bb": "", "\u00a0": " "})
MISSING = "□"


def register_fonts() -> tuple[str, str]:
    """Register the regular and bold Korean fonts; returns their names. Raises if a file is missing."""
    global _registered
    with _lock:  # reports may be built from a GUI worker while the CLI-style path runs in tests
        if _registered:
            return FONT, FONT_BOLD
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
        global _glyphs
        faces = []
        for name, filename in _FILES.items():
            path = fonts_dir() / filename
            if not path.is_file():
                raise SchoolVaultError(f"보고서용 글꼴 파일이 없습니다: {filename}",
                                       where=str(path), hint="프로그램을 다시 설치하세요.")
            font = TTFont(name, str(path))
            pdfmetrics.registerFont(font)
            faces.append(set(font.face.charToGlyph))
        _glyphs = frozenset(set.intersection(*faces))
        # <b> inside a paragraph picks the bold face
        addMapping(FONT, 0, 0, FONT)
        addMapping(FONT, 1, 0, FONT_BOLD)
        addMapping(FONT, 0, 1, FONT)
        addMapping(FONT, 1, 1, FONT_BOLD)
        # Drawings start from this state; left at Helvetica it becomes a non-embedded font in every
        # PDF with a chart, which official-document checks flag.
        from reportlab.graphics import shapes
        from reportlab.platypus import tables
        shapes.STATE_DEFAULTS["fontName"] = FONT
        tables.CellStyle.fontname = FONT  # same for empty table cells (signature boxes, spans)
        _registered = True
        return FONT, FONT_BOLD


def printable(text: str) -> str:
    """Text the fonts can draw: known look-alikes substituted (‧ → ·, − → -), any other missing
    character shown as □ instead of silently vanishing from the printed report."""
    register_fonts()
    text = text.translate(SUBSTITUTES)
    if all(ord(c) in _glyphs for c in text if c not in "\n\t"):
        return text
    return "".join(c if c in "\n\t" or ord(c) in _glyphs else MISSING for c in text)
