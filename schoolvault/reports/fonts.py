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


def register_fonts() -> tuple[str, str]:
    """Register the regular and bold Korean fonts; returns their names. Raises if a file is missing."""
    global _registered
    with _lock:  # reports may be built from a GUI worker while the CLI-style path runs in tests
        if _registered:
            return FONT, FONT_BOLD
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
        for name, filename in _FILES.items():
            path = fonts_dir() / filename
            if not path.is_file():
                raise SchoolVaultError(f"보고서용 글꼴 파일이 없습니다: {filename}",
                                       where=str(path), hint="프로그램을 다시 설치하세요.")
            pdfmetrics.registerFont(TTFont(name, str(path)))
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
