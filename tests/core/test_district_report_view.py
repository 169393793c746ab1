"""What both district documents show, computed once in report_view: school counts and the named order."""

from __future__ import annotations

import pandas as pd

from schoolvault.district.report_view import schools_in_level_order, schools_per_district

SCHOOLS = [("가초", "초", "동부"), ("나초", "초", "서부"), ("다중", "중", "동부"), ("라고", "고", "본청"),
           ("마초", "초", "동부"), ("바특", "특수", "서부"), ("사?", "기타", "동부"), ("아중", "중", "동부")]


def _stats() -> dict:
    return {"schools": [{"name": n, "level": lv, "district": d} for n, lv, d in SCHOOLS],
            "by_level": dict.fromkeys(["초", "중", "고", "특수"]),
            "by_district": dict.fromkeys(["동부", "서부", "본청", "남부"])}


def test_schools_per_district_is_the_crosstab_of_district_and_level():
    stats = _stats()
    frame = pd.DataFrame(SCHOOLS, columns=["name", "level", "district"])
    expected = (pd.crosstab(frame["district"], frame["level"])
                .reindex(index=list(stats["by_district"]), columns=list(stats["by_level"]), fill_value=0))
    assert schools_per_district(stats) == {d: [int(c) for c in expected.loc[d]] for d in stats["by_district"]}


def test_named_schools_are_listed_by_level_then_district_then_name_unknown_levels_last():
    frame = pd.DataFrame(SCHOOLS, columns=["name", "level", "district"])
    frame["rank"] = frame["level"].map({"초": 0, "중": 1, "고": 2, "특수": 3}).fillna(9)
    expected = list(frame.sort_values(["rank", "district", "name"])["name"])
    assert [s["name"] for s in schools_in_level_order(_stats())] == expected
