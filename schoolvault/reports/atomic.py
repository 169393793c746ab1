"""Write a finished document over its target in one step: a failed or cancelled job leaves no half file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import SchoolVaultError


def replace_file(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then rename it over `path`.

    Raises SchoolVaultError when the file cannot be written (open in 한글 or Word, no permission)."""
    fd, tmp = tempfile.mkstemp(prefix=".schoolvault-", suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except PermissionError as e:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise SchoolVaultError("파일을 저장할 수 없습니다.", where=str(path),
                               hint="같은 파일이 한글, 워드 등 다른 프로그램에서 열려 있으면 닫고 다시 시도하세요.") from e
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
