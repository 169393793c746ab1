"""A real consultant workbook (reports/workbook.py) of the demo school imports into a district workspace."""

from __future__ import annotations

import pytest

from schoolvault import services
from schoolvault.district.aggregate import district_stats
from schoolvault.district.importer import import_submissions, stored_rows
from schoolvault.district.reader import read_submission
from schoolvault.workspace import open_workspace

workbook = pytest.importorskip("schoolvault.reports.workbook")


@pytest.fixture(scope="module")
def exported(_template_demo_ws, tmp_path_factory):
    import shutil
    d = tmp_path_factory.mktemp("export")
    out = d / "학교결과.xlsx"
    shutil.copy(_template_demo_ws, d / "demo.sqlite")  # the shared template stays untouched (exports are audited)
    with open_workspace(d / "demo.sqlite") as ws:
        workbook.export_workbook(ws, out)
        own = {sv: services.stats(ws, sv) for sv in ("sodi-example-2025", "seoul-eval-survey-2025")}
        school = services.dashboard(ws)["school"]
    return out, own, school


def test_the_exported_workbook_reads_back_with_a_matching_checksum(exported):
    out, _, school = exported
    sub = read_submission(out)
    assert sub.checksum_ok, sub.warnings
    assert sub.meta["school_name"] == school["name"] and sub.level == school["level"]
    assert sub.district == school["district"]


def test_the_district_sees_the_schools_own_factor_means(exported, tmp_path):
    out, own, _ = exported
    with open_workspace(tmp_path / "d.sqlite", create=True) as ws:
        result = import_submissions(ws, [out], workers=1)
        assert result["imported"] == 1 and not result["files"][0]["warnings"]
        stats = district_stats(ws)
        sid = stats["schools"][0]["id"]
        assert any(r["kind"] == "item" for r in stored_rows(ws, sid))
    level = next(iter(stats["by_level"].values()))
    checked = 0
    for st in own.values():
        for grp, g in st["groups"].items():
            if g["n"] < 5:
                assert grp not in level["groups"] or not any(
                    k in level["groups"][grp]["factors"] for k in g["factors"])
                continue
            for code, f in g["factors"].items():
                if f["mean"] is None:
                    continue
                got = level["groups"][grp]["factors"][code]
                assert got["n_schools"] == 1 and got["sd"] is None
                assert got["mean"] == pytest.approx(f["mean"], abs=1e-9)
                checked += 1
    assert checked > 20
