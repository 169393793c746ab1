"""Nothing a respondent could be identified by is stored: grep the whole workspace after an import."""

from __future__ import annotations

import csv
import io
import random
import sqlite3

from schoolvault import catalog
from schoolvault.importing import import_responses
from schoolvault.workspace import open_workspace

NAMES = ["김서연", "이도윤", "박하준", "최지우", "정민준", "강서윤", "조예준", "윤하은", "장시우", "임지호",
         "한수아", "오주원"]


def personal(r: int) -> dict[str, str]:
    return {"email": f"parent.{r:02d}.kim@naver-example.com", "name": NAMES[r % len(NAMES)],
            "phone": f"010-{4100 + r:04d}-{7300 + r:04d}", "student": f"2025{31000 + r}",
            "phone_plain": f"0109{r:03d}5521"}


def response_file(n: int) -> bytes:
    inst = catalog.resolve(None, "sodi-example-2025").instrument
    items = list(inst.items_for("학부모"))
    header = ["타임스탬프", "이메일 주소", "이름", "휴대폰 번호", "자녀 학번", "연락처"] + [i.text for i in items]
    rng = random.Random(5)
    rows = [header]
    for r in range(n):
        p = personal(r)
        answers = [str(rng.randint(1, 5)) for _ in items]
        if r == 3:  # someone typed their e-mail and phone into answer cells
            answers[0], answers[1] = p["email"], p["phone"]
        rows.append(["2025-05-01 09:00:00", p["email"], p["name"], p["phone"], p["student"], p["phone_plain"],
                     *answers])
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def every_value(path) -> list[str]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        out = []
        for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            for row in conn.execute(f"SELECT * FROM \"{t}\""):
                out.extend(str(v) for v in row if v is not None)
        return out
    finally:
        conn.close()


def test_no_respondent_identifier_is_stored_anywhere_in_the_workspace(fresh_ws_path, tmp_path):
    n = 40
    src = tmp_path / "in" / "학부모응답.csv"
    src.parent.mkdir()
    src.write_bytes(response_file(n))
    ws = open_workspace(fresh_ws_path)
    try:
        summary = import_responses(ws, src, "sodi-example-2025", "학부모")
        assert summary["respondents"] == n
        dropped = " ".join(str(c) for c in summary["columns_dropped"])
        for header in ("이메일", "이름", "휴대폰", "학번", "연락처"):
            assert header in dropped, f"summary does not say the {header} column was dropped"
        # while still open: the new pages may sit in the WAL, so grep it too
        files = [p for p in tmp_path.rglob("*") if p.is_file() and p != src]
        blobs = {p.name: p.read_bytes() for p in files}
    finally:
        ws.close()
    assert any(name.endswith("-wal") for name in blobs), "expected to grep the WAL as well"
    blobs["(after close)"] = fresh_ws_path.read_bytes()
    values = every_value(fresh_ws_path)
    for r in range(n):
        for kind, token in personal(r).items():
            needle = token.encode("utf-8")
            for name, data in blobs.items():
                assert needle not in data, f"{kind} {token!r} found in {name}"
            assert not any(token in v for v in values), f"{kind} {token!r} stored in a table"
    # the answers themselves did arrive
    with open_workspace(fresh_ws_path, readonly=True) as ro:
        assert ro.conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0] > n * 10
