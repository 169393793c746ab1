"""A benchmark file with values no report can use is refused on import, in Korean, nothing stored
(issue 14, item 15)."""

from __future__ import annotations

import copy
import hashlib
import json

import pytest

from schoolvault.cli import main
from schoolvault.district.benchmark import FORMAT, import_benchmark, load_for_school
from schoolvault.errors import SchoolVaultError

ENTRY = {"n_schools": 6, "mean": 3.5, "sd": 0.4, "score100": 62.5,
         "percentiles": {"10": 3.0, "25": 3.2, "50": 3.5, "75": 3.8, "90": 4.0}}
DOC = {"format": FORMAT, "format_version": 1, "year": 2025, "issuer": "동부교육지원청", "created_at": "2025-12-01",
       "n_schools": 6, "checksum": "", "labels": {"factors": {}, "domains": {}, "indicators": {}},
       "levels": {"초": {"n_schools": 6,
                        "factors": {"s:F1": {**ENTRY, "groups": {"교원": dict(ENTRY)}}},
                        "domains": {"s:D1": {**ENTRY, "groups": {}}},
                        "indicators": {"1-1-1": {"n_schools": 6, "mean": 3.1, "counts": {"3": 4, "4": 2}}}}}}


def _set(doc: dict, path: str, value) -> dict:
    doc = copy.deepcopy(doc)
    *parents, last = path.split("/")
    node = doc
    for p in parents:
        node = node[p]
    node[last] = value
    return doc


BAD = {
    "nan_mean": ("levels/초/factors/s:F1/mean", float("nan"), "NaN"),
    "infinite_sd": ("levels/초/factors/s:F1/sd", float("inf"), "Infinity"),
    "minus_infinite_percentile": ("levels/초/domains/s:D1/percentiles/50", float("-inf"), "-Infinity"),
    "negative_sd": ("levels/초/factors/s:F1/groups/교원/sd", -0.3, "음수인 표준편차"),
    "text_mean": ("levels/초/factors/s:F1/mean", "3.5점", "숫자가 아닌 값"),
    "text_n_schools": ("levels/초/n_schools", "여섯", "정수가 아닌 값"),
    "object_issuer": ("issuer", {"name": "동부"}, "텍스트가 아닌 값"),
    "score_over_100": ("levels/초/domains/s:D1/score100", 250, "100점"),
    "bool_count": ("levels/초/indicators/1-1-1/counts/3", True, "정수가 아닌 값"),
    "string_version": ("format_version", "1", "잘못된 벤치마크 파일"),
}


def _write(path, doc) -> None:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")  # NaN/Infinity as json writes them


def test_a_sound_benchmark_imports(fresh_ws, tmp_path):
    _write(tmp_path / "b.json", DOC)
    import_benchmark(fresh_ws, tmp_path / "b.json")
    assert load_for_school(fresh_ws)["초"]["factors"]["s:F1"]["sd"] == 0.4


@pytest.mark.parametrize("case", list(BAD))
def test_a_benchmark_with_unusable_values_is_refused_in_korean(fresh_ws, tmp_path, case):
    path, value, said = BAD[case]
    _write(tmp_path / "b.json", _set(DOC, path, value))
    with pytest.raises(SchoolVaultError) as e:
        import_benchmark(fresh_ws, tmp_path / "b.json")
    assert said in e.value.message or said in (e.value.where or "")
    assert "더 새로운" not in e.value.message
    assert load_for_school(fresh_ws) is None


def test_a_refused_benchmark_leaves_the_workspace_byte_identical_and_the_old_one_in_use(fresh_ws_path, tmp_path,
                                                                                         capsys):
    _write(tmp_path / "good.json", DOC)
    assert main(["--db", str(fresh_ws_path), "benchmark", "import", str(tmp_path / "good.json")]) == 0
    before = hashlib.sha256(fresh_ws_path.read_bytes()).hexdigest()
    _write(tmp_path / "bad.json", _set(DOC, "levels/초/factors/s:F1/mean", float("nan")))
    assert main(["--db", str(fresh_ws_path), "benchmark", "import", str(tmp_path / "bad.json")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("오류: 벤치마크 파일에 숫자가 아닌 값(NaN)") and "Traceback" not in err
    assert hashlib.sha256(fresh_ws_path.read_bytes()).hexdigest() == before


def test_a_newer_format_version_is_still_told_as_newer(fresh_ws, tmp_path):
    _write(tmp_path / "b.json", _set(DOC, "format_version", 99))
    with pytest.raises(SchoolVaultError, match="더 새로운"):
        import_benchmark(fresh_ws, tmp_path / "b.json")
