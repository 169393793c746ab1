"""Recognise files people pick by mistake (a PDF renamed .xlsx, a photo), so a refusal can name them."""

from __future__ import annotations

# First bytes → what the file really is, in words the user knows.
FOREIGN_MAGIC = ((b"%PDF", "PDF 문서"), (b"\x89PNG", "그림 파일(PNG)"), (b"\xff\xd8\xff", "그림 파일(JPEG)"),
                 (b"GIF8", "그림 파일(GIF)"), (b"HWP Document", "한글(HWP) 문서"), (b"\x1f\x8b", "압축 파일(gzip)"),
                 (b"Rar!", "압축 파일(RAR)"), (b"7z\xbc\xaf", "압축 파일(7z)"))


def foreign_kind(head: bytes) -> str | None:
    """'PDF 문서' etc. when the bytes start like a file that is no spreadsheet or text; else None."""
    return next((name for magic, name in FOREIGN_MAGIC if head.startswith(magic)), None)
