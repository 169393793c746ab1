"""The same hostile corpus through the other doors files come in by: district import, benchmark import,
instrument import. None of these files is valid for them: each must be refused cleanly, untouched."""

from __future__ import annotations

import hashlib
import re

import pytest
from hostile_files import CASES, Case

HANGUL = re.compile(r"[가-힣]")
DOORS = {"district": ["district", "import"], "benchmark": ["benchmark", "import"],
         "instrument": ["instruments", "import"]}


@pytest.mark.parametrize("door", list(DOORS))
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_file_is_refused_by_every_other_import(door, case: Case, fresh_ws_path, tmp_path, capsys):
    from schoolvault.cli import main
    folder = tmp_path / "in"
    folder.mkdir()
    path = case.write(folder)
    before = hashlib.sha256(fresh_ws_path.read_bytes()).hexdigest()
    try:
        rc = main(["--db", str(fresh_ws_path), *DOORS[door], str(path)])
    except SystemExit as e:
        rc = e.code
    except Exception as e:  # noqa: BLE001 - a traceback for the user
        pytest.fail(f"uncaught {type(e).__name__}: {e}")
    err = capsys.readouterr().err
    assert rc == 1, err
    assert err.startswith("오류: ") and HANGUL.search(err) and "Traceback" not in err, err
    assert hashlib.sha256(fresh_ws_path.read_bytes()).hexdigest() == before
