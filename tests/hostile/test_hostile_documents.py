"""Hostile instrument, mapping and benchmark files: alias bombs, deep nesting, binary garbage."""

from __future__ import annotations

import hashlib
import time

import pytest
from hostile_files import GROUP, INSTRUMENT, csv_bytes, garbage_bytes, valid_table


def alias_bomb() -> bytes:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    return ("\n".join(lines) + "\nkind: survey\n").encode()


DOCS = {
    "yaml alias bomb": alias_bomb,
    "deep json": lambda: b"[" * 100_000 + b"]" * 100_000,
    "deep yaml": lambda: b"kind: survey\nx: " + b"[" * 50_000 + b"]" * 50_000 + b"\n",
    "deep json object": lambda: b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    "binary garbage": garbage_bytes,
    "empty": lambda: b"",
}


def run(argv, capsys) -> tuple[int, str]:
    from schoolvault.cli import main
    started = time.monotonic()
    try:
        rc = main(argv)
    except Exception as e:  # noqa: BLE001 - a traceback for the user
        pytest.fail(f"uncaught {type(e).__name__}: {e}")
    assert time.monotonic() - started < 10, "took too long: a hostile file must be refused quickly"
    return rc, capsys.readouterr().err


@pytest.mark.parametrize("doc", list(DOCS))
def test_hostile_instrument_file_is_refused_quickly(doc, fresh_ws_path, tmp_path, capsys):
    f = tmp_path / "도구.yaml"
    f.write_bytes(DOCS[doc]())
    before = hashlib.sha256(fresh_ws_path.read_bytes()).hexdigest()
    rc, err = run(["--db", str(fresh_ws_path), "instruments", "import", str(f)], capsys)
    assert rc == 1 and err.startswith("오류: ") and "Traceback" not in err, err
    assert hashlib.sha256(fresh_ws_path.read_bytes()).hexdigest() == before


@pytest.mark.parametrize("doc", list(DOCS))
def test_hostile_mapping_file_is_refused(doc, fresh_ws_path, tmp_path, capsys):
    src = tmp_path / "응답.csv"
    src.write_bytes(csv_bytes(valid_table()))
    f = tmp_path / "연결표.json"
    f.write_bytes(DOCS[doc]())
    before = hashlib.sha256(fresh_ws_path.read_bytes()).hexdigest()
    rc, err = run(["--db", str(fresh_ws_path), "import-responses", str(src), "--instrument", INSTRUMENT,
                   "--group", GROUP, "--mapping", str(f)], capsys)
    assert rc == 1 and err.startswith("오류: ") and "Traceback" not in err, err
    assert hashlib.sha256(fresh_ws_path.read_bytes()).hexdigest() == before


@pytest.mark.parametrize("doc", list(DOCS))
def test_hostile_benchmark_file_is_refused(doc, fresh_ws_path, tmp_path, capsys):
    f = tmp_path / "벤치마크.json"
    f.write_bytes(DOCS[doc]())
    before = hashlib.sha256(fresh_ws_path.read_bytes()).hexdigest()
    rc, err = run(["--db", str(fresh_ws_path), "benchmark", "import", str(f)], capsys)
    assert rc == 1 and err.startswith("오류: ") and "Traceback" not in err, err
    assert hashlib.sha256(fresh_ws_path.read_bytes()).hexdigest() == before
