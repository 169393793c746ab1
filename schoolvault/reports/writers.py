"""Writing a `docmodel.Document` to a file: the writer is picked by the file's suffix.

Kept apart from docmodel.py so the model does not depend on its writers (they import it); each writer
is imported when called, so python-docx and python-hwpx load only for their own format.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import SchoolVaultError
from ..progress import NULL_PROGRESS
from .atomic import replace_file
from .docmodel import Document, check_suffix


def write_document(doc: Document, out: str | Path, *, progress=NULL_PROGRESS) -> dict:
    """Write `doc` to `out` by its suffix, atomically (a failed write leaves no file).

    Returns {"file", "format", "bytes", "pages"} (pages only for PDF: the other formats are laid out by the
    word processor that opens them). Raises SchoolVaultError for an unknown suffix or a missing folder."""
    suffix = check_suffix(out)
    path = Path(out)
    if not path.parent.exists():
        raise SchoolVaultError("저장할 폴더가 없습니다.", where=str(path.parent), hint="폴더를 먼저 만드세요.")
    if suffix == ".pdf":
        from .write_pdf import write_pdf_document
        data, pages = write_pdf_document(doc, progress=progress)
    elif suffix == ".hwpx":
        from .write_hwpx import write_hwpx_document
        data, pages = write_hwpx_document(doc, progress=progress), None
    else:
        from .write_docx import write_docx_document
        data, pages = write_docx_document(doc, progress=progress), None
    replace_file(path, data)
    return {"file": str(path), "format": suffix[1:], "bytes": len(data), "pages": pages}
