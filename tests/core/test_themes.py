"""Comment themes (서술형 의견 주제): Korean comments written for these tests with planted themes.

Kiwi is loaded once per session (module-scoped fixture); every workspace test shares one analysed corpus.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter

import pytest

from schoolvault import themes as T
from schoolvault.masking import mask_personal

SURVEY = "seoul-eval-survey-2025"

# Five planted themes, each with its own vocabulary, written the way parents, students and teachers write.
PLANTED = {
    "급식": [
        "급식이 맛있어서 아이가 좋아합니다", "급식 메뉴가 더 다양했으면 좋겠어요", "급식 반찬이 너무 싱거워요",
        "급식실이 좁아서 점심시간에 줄이 길어요", "급식 양이 부족하다는 학생이 많아요", "급식 메뉴에 과일이 더 나왔으면",
        "급식 위생 관리를 철저히 해 주세요", "점심 급식 반찬이 맛있어요", "급식 메뉴표를 미리 알려 주세요",
        "급식 반찬 양을 늘려 주세요", "급식 맛이 예전보다 좋아졌어요", "급식 메뉴 선택권이 있으면 좋겠어요",
        "급식 시간에 줄이 너무 길어요", "급식 반찬 가짓수를 늘려 주세요",
    ],
    "방과후": [
        "방과후 프로그램 종류가 다양해졌으면 합니다", "방과 후 돌봄교실 시간을 늘려 주세요",
        "방과후학교 강좌가 부족해요", "방과후 돌봄 교실 신청이 너무 어려워요", "방과후 수업 시간이 너무 늦게 끝나요",
        "방과후 돌봄교실 운영 시간을 연장해 주세요", "방과후 강좌 신청 방법이 복잡해요",
        "방과 후 수업 강사가 자주 바뀌어요", "방과후학교 수강료가 부담됩니다", "방과후 돌봄 신청 인원을 늘려 주세요",
        "방과 후 강좌에 코딩 수업이 있으면 좋겠어요", "방과후 수업 강좌를 더 열어 주세요",
        "방과후학교 강좌 안내가 늦어요",
    ],
    "학교폭력": [
        "학교폭력 예방 교육을 더 자주 해 주세요", "학교 폭력 사안 처리가 공정했으면 합니다",
        "학교폭력 신고 절차를 알기 쉽게 안내해 주세요", "학교 폭력 피해 학생 보호가 필요합니다",
        "학교폭력 가해 학생 지도를 엄격하게 해 주세요", "사이버 폭력 예방 교육이 필요해요",
        "학교폭력 사안 처리 과정을 투명하게", "언어 폭력 예방 교육을 해 주세요", "학교폭력 예방 캠페인이 좋았어요",
        "학교 폭력 신고함을 늘려 주세요", "학교폭력 예방 상담을 늘려 주세요", "친구 사이 폭력 문제에 관심을",
    ],
    "소통": [
        "알림장 앱으로 공지를 보내 주셔서 편해요", "알림장 공지가 너무 늦게 와요", "학부모와 소통이 더 많았으면 해요",
        "알림장에 준비물을 자세히 적어 주세요", "담임 선생님과 소통 기회가 늘었으면", "알림장 공지 알림이 너무 많아요",
        "알림장 앱으로 가정통신문도 보내 주세요", "선생님과 소통 창구가 필요합니다", "알림장 앱 공지가 늦게 올라와요",
        "학교 행사 공지를 알림장으로 미리 알려 주세요", "학부모 소통 창구를 늘려 주세요", "알림장 확인이 번거로워요",
    ],
    "시설": [
        "화장실이 너무 더러워요", "화장실 휴지가 자주 없어요", "화장실 냄새가 심해요", "화장실 청소를 더 자주 해 주세요",
        "화장실 칸막이가 망가졌어요", "화장실 비누가 없어요", "화장실 문이 잘 안 잠겨요", "교실 화장실 시설이 낡았어요",
        "화장실 시설 보수가 필요합니다", "체육관 시설이 낡았어요", "화장실 세면대 물이 안 나와요",
        "화장실 변기가 자주 막혀요",
    ],
}
NOISE = ["늘 감사합니다", "선생님들 고생 많으세요", "좋아요", "특별히 바라는 점은 없습니다 감사합니다",
         "지금처럼만 해 주세요", "아이가 학교 가는 것을 좋아해요", "항상 애써 주셔서 감사합니다", "열심히 하겠습니다"]
# Personal data people really type; none of it may come out of the analysis.
PERSONAL = ["김민준 선생님께 급식 메뉴 문의는 010-1234-5678로 연락 주세요",
            "급식 메뉴 건의는 parent.kim@naver.com 으로 보냅니다",
            "이서연쌤 덕분에 화장실 청소 당번이 공정해졌어요",
            "3학년 2반 15번 홍길동 학생 학교폭력 사안 처리가 늦어요"]
PERSONAL_BITS = ["김민준", "010-1234-5678", "1234", "parent.kim", "naver.com", "이서연", "홍길동", "15번"]
GROUP_OF = {"급식": "학생", "방과후": "학부모", "학교폭력": "학생", "소통": "학부모", "시설": "학생"}
GROUPS = ("교원", "학생", "학부모")


def _group(theme: str, n: int) -> str:
    """Mostly the theme's own group, every third comment another one (themes are shared, not owned)."""
    return GROUP_OF[theme] if n % 3 else GROUPS[(n // 3) % 3]


def corpus() -> list[tuple[str, str, str | None]]:
    """(group, text, planted theme) in a fixed order."""
    out = []
    for theme, texts in PLANTED.items():
        out += [(_group(theme, n), t, theme) for n, t in enumerate(texts)]
    out += [("교원", t, None) for t in NOISE]
    out += [("학부모", t, None) for t in PERSONAL]
    return out


@pytest.fixture(scope="module")
def kiwi():
    return T.tokenizer()


@pytest.fixture(scope="module")
def analysed(kiwi):
    comments = [T.CommentIn(n, g, n, t) for n, (g, t, _) in enumerate(corpus())]
    return comments, T.extract_keywords([c.text for c in comments])


@pytest.fixture(scope="module")
def result(analysed):
    comments, kws = analysed
    return T.themes_of(comments, kws, instrument=SURVEY)


def test_spacing_variants_give_one_key(kiwi):
    kws = [set(T.keywords_of(kiwi.tokenize(t))) for t in ("방과후 수업", "방과 후 수업", "방과후학교 수업")]
    assert all("방과후" in k for k in kws)
    assert "돌봄교실" in set(T.keywords_of(kiwi.tokenize("돌봄 교실"))) & set(T.keywords_of(kiwi.tokenize("돌봄교실")))


def test_stop_words_are_data_and_never_keywords(kiwi):
    assert {"학교", "생각", "감사"} <= T.stopwords()
    kws = T.keywords_of(kiwi.tokenize("학교에 감사하다는 생각이 듭니다 학교폭력 예방"))
    assert "학교" not in kws and "감사" not in kws and "생각" not in kws and "학교폭력" in kws


def test_the_planted_themes_are_recovered(result):
    truth = {n: theme for n, (_, _, theme) in enumerate(corpus())}
    found = {}
    for t in result.themes:
        majority, hits = Counter(truth[q.id] for q in t.members).most_common(1)[0]
        assert majority is not None and hits / t.comments >= 0.75, (t.label, Counter(truth[q.id] for q in t.members))
        found.setdefault(majority, []).append(t)
    assert set(found) == set(PLANTED), [t.label for t in result.themes]
    for theme, texts in PLANTED.items():  # most of each planted theme lands in its theme(s)
        inside = sum(1 for t in found[theme] for q in t.members if truth[q.id] == theme)
        assert inside >= 0.7 * len(texts), theme
    labels = " ".join(t.label for t in result.themes)
    for word in ("급식", "방과후", "폭력", "알림장", "화장실"):
        assert word in labels
    assert all(truth[q.id] is None or truth[q.id] for q in result.other.members)
    assert {q.id for q in result.other.members} >= {n for n, th in truth.items() if th is None and n < 80} & {
        n for n, (_, text, _) in enumerate(corpus()) if text in NOISE}


def test_each_comment_is_in_one_theme_at_most(result):
    ids = [q.id for t in result.themes + [result.other] for q in t.members]
    assert len(ids) == len(set(ids)) == len(corpus())


def test_counts_per_group_add_up(result):
    truth_groups = {n: g for n, (g, _, _) in enumerate(corpus())}
    for t in result.themes:
        assert sum(v["comments"] for v in t.by_group.values()) == t.comments
        assert t.by_group == {g: {"comments": c, "respondents": c}
                              for g, c in Counter(truth_groups[q.id] for q in t.members).items()}
    assert 2 <= len(result.themes[0].quotes) <= 3


def test_quotes_are_the_most_central_comments(result):
    for t in result.themes:
        sims = [q.similarity for q in t.members]
        assert sims == sorted(sims, reverse=True)
        assert t.quotes[0].similarity == pytest.approx(max(sims))


def test_personal_data_never_appears_in_theme_output(result, analysed):
    comments, kws = analysed
    out = json.dumps(result.to_dict(members=True), ensure_ascii=False)
    out += json.dumps(T.keywords_by_group(comments, kws), ensure_ascii=False)
    out += json.dumps(T.publishable(result), ensure_ascii=False)
    out += T.theme_text(result)
    for bit in PERSONAL_BITS:
        assert bit not in out, bit
    assert "(전화번호)" in out and "(전자우편)" in out  # the comments are there, masked


@pytest.mark.parametrize("text, gone", [
    ("김철수 선생님께서 010-9876-5432로 연락 주셨어요", ["김철수", "9876"]),
    ("문의: abc.def@school.go.kr", ["abc.def", "school.go.kr"]),
    ("박쌤 수업이 좋아요", ["박쌤"]),
    ("3학년 2반 15번 학생", ["15번"]),
    ("02-123-4567 교무실", ["123-4567"]),
])
def test_masking_hides_names_phones_and_mails(text, gone):
    masked = mask_personal(text)
    assert all(g not in masked for g in gone), masked


@pytest.mark.parametrize("text", ["담임 선생님 최고", "보건 선생님이 친절해요", "모든 선생님들께 감사", "학교 폭력 피해 학생 보호",
                                  "부모님 상담", "교장 선생님 말씀", "방과후 강사 선생님"])
def test_masking_leaves_roles_alone(text):
    assert mask_personal(text) == text


def test_same_input_gives_the_same_themes(analysed, result):
    comments, kws = analysed
    again = T.themes_of(list(comments), [list(k) for k in kws], instrument=SURVEY)
    assert again.to_dict(members=True) == result.to_dict(members=True)
    shuffled = T.themes_of(comments[::-1], kws[::-1], instrument=SURVEY)
    assert [t.label for t in shuffled.themes] == [t.label for t in result.themes]


def test_keywords_per_group_name_what_a_group_writes_more(analysed):
    comments, kws = analysed
    by_group = T.keywords_by_group(comments, kws)
    parent = {r["keyword"]: r for r in by_group["학부모"]}
    student = {r["keyword"]: r for r in by_group["학생"]}
    assert "알림장" in parent and "화장실" in student and "알림장" not in student
    r = parent["알림장"]
    mine = [c for c, k in zip(comments, kws) if c.group == "학부모"]
    uses = sum(1 for c, k in zip(comments, kws) if c.group == "학부모" and "알림장" in k)
    assert r["count"] == uses and r["share"] == pytest.approx(uses / len(mine))
    others = sum(1 for c, k in zip(comments, kws) if c.group != "학부모" and "알림장" in k)
    a, b, c, d = uses, len(mine) - uses, others, len(comments) - len(mine) - others
    import math
    assert r["log_odds_ratio"] == pytest.approx(math.log((a + .5) * (d + .5) / ((b + .5) * (c + .5))))
    assert all(x["z"] >= T.GROUP_Z and x["count"] >= T.GROUP_MIN_COUNT for rows in by_group.values() for x in rows)


def test_small_groups_are_n_below_5_and_never_quoted_outside(result):
    sizes = {"교원": 3, "학생": 40, "학부모": 40}  # 교원 under five respondents
    comments = [T.CommentIn(q.id, q.group, q.id, q.text) for t in result.themes + [result.other] for q in t.members]
    comments.sort(key=lambda c: c.id)
    r = T.themes_of(comments, [T.keywords_of(T.tokenizer().tokenize(c.text)) for c in comments],
                    group_sizes=sizes)
    pub = T.publishable(r)
    assert pub["groups"]["교원"] == {"respondents": "n<5", "comments": "n<5"}
    for t in pub["themes"] + [pub["other"]]:
        assert t["by_group"]["교원"]["comments"] == "n<5"
        assert all(q["group"] != "교원" for q in t["quotes"])
        for g in ("학생", "학부모"):
            v = t["by_group"][g]["respondents"]
            assert v == "n<5" or v == 0 or v >= 5
    inside = [q.group for t in r.themes for q in t.quotes]
    assert "교원" in inside  # inside the school the small group is still quoted


# ------------------------------------------------------------ workspace, CLI and workbook

@pytest.fixture(scope="module")
def themed_ws_path(_template_ws, tmp_path_factory, kiwi):
    """A workspace whose 학년말 survey holds the corpus (one respondent per comment, O1) and a 중간 one."""
    from schoolvault import services
    from schoolvault.workspace import open_workspace, responses
    path = tmp_path_factory.mktemp("themes") / "school.sqlite"
    shutil.copy(_template_ws, path)
    with open_workspace(path) as ws:
        _, year = services.require_school(ws)
        ref = services.freeze_for_use(ws, SURVEY)
        with ws.transaction():
            by_group: dict[str, list] = {}
            for g, text, _ in corpus():
                by_group.setdefault(g, []).append(text)
            for g in GROUPS:
                rows = [responses.ResponseRow(row_no=n + 2, answers={}, comments={"O1": t})
                        for n, t in enumerate(by_group[g])]
                responses.add_administration(ws, year=year, instrument_ref=ref, group=g, rows=rows, method="test")
            responses.add_administration(ws, year=year, instrument_ref=ref, group="직원", method="test",
                                         rows=[responses.ResponseRow(2, {}, {"O1": "주차장 급식실 화장실 시설 정비"})])
            responses.add_administration(ws, year=year, instrument_ref=ref, group="교원", period="중간", method="test",
                                         rows=[responses.ResponseRow(2, {}, {"O1": "중간평가 의견입니다 주차장"})])
    return path


def test_cli_themes_json_and_text(themed_ws_path, capsys):
    from schoolvault.cli import main
    assert main(["--db", str(themed_ws_path), "comments", "--instrument", SURVEY, "--themes", "--json"]) == 0
    r = json.loads(capsys.readouterr().out)
    assert r["period"] == "학년말" and r["comments"] == len(corpus()) + 1
    assert len(r["themes"]) >= 5 and r["other"]["label"] == "기타"
    assert "주차장" not in json.dumps(r["themes"], ensure_ascii=False).replace("주차장 급식실", "")
    assert main(["--db", str(themed_ws_path), "comments", "--instrument", SURVEY, "--themes"]) == 0
    text = capsys.readouterr().out
    assert text.startswith(f"서술형 의견 {len(corpus()) + 1}개 · 주제") and "급식" in text and "기타" in text
    assert main(["--db", str(themed_ws_path), "comments", "--instrument", SURVEY, "--themes", "--group", "학생",
                 "--json"]) == 0
    r = json.loads(capsys.readouterr().out)
    assert set(r["groups"]) == {"학생"}
    assert main(["--db", str(themed_ws_path), "comments", "--instrument", SURVEY, "--themes", "--period", "중간",
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["comments"] == 1


def test_cli_keywords_json(themed_ws_path, capsys):
    from schoolvault.cli import main
    assert main(["--db", str(themed_ws_path), "comments", "--instrument", SURVEY, "--keywords", "--json"]) == 0
    r = json.loads(capsys.readouterr().out)
    assert "알림장" in [x["keyword"] for x in r["keywords"]["학부모"]]
    assert main(["--db", str(themed_ws_path), "comments", "--instrument", SURVEY, "--keywords"]) == 0
    assert "학부모 (의견" in capsys.readouterr().out


def test_cli_unknown_group_is_an_error(themed_ws_path, capsys):
    from schoolvault.cli import main
    assert main(["--db", str(themed_ws_path), "comments", "--instrument", SURVEY, "--themes", "--group", "외계인"]) == 1
    assert "응답 집단" in capsys.readouterr().err


def test_workbook_themes_sheet_suppresses_small_cells(themed_ws_path, tmp_path):
    import openpyxl

    from schoolvault.reports.workbook import export_workbook
    from schoolvault.workspace import open_workspace
    src = tmp_path / "ws.sqlite"
    shutil.copy(themed_ws_path, src)
    out = tmp_path / "wb.xlsx"
    with open_workspace(src) as ws:
        export_workbook(ws, out)
    sheet = openpyxl.load_workbook(out, read_only=True)["의견 주제"]
    rows = [[c for c in r] for r in sheet.iter_rows(values_only=True)]
    head = rows[0]
    assert head[:4] == ["도구", "주제", "핵심어", "의견 수"]
    text = json.dumps(rows, ensure_ascii=False, default=str)
    for bit in PERSONAL_BITS:
        assert bit not in text
    groups = [h for h in head if h in ("교원", "직원", "학생", "학부모")]
    assert "직원" in groups  # one respondent: every cell of the group is n<5
    col = head.index("직원")
    body = [r for r in rows[1:] if r[0]]
    assert body and all(r[col] in ("n<5", None) for r in body)
    for r in body:
        for g in groups:
            v = r[head.index(g)]
            assert v in (None, 0, "n<5") or (isinstance(v, (int, float)) and v >= 5), (g, v)
    for r in body:  # no quote from a hidden cell
        for g in groups:
            if r[head.index(g)] == "n<5":
                assert f"[{g}]" not in str(r[-1] or ""), (g, r)
    quotes = "\n".join(str(r[-1] or "") for r in body)
    assert "[직원]" not in quotes and "주차장" not in quotes
    assert re.search(r"\[(학생|학부모|교원)\]", quotes)


def test_keywords_are_kept_for_the_session_and_equal_a_fresh_analysis(kiwi, monkeypatch):
    """Kiwi tokenises a text once a session (the workbook after the 의견 주제 tab, the next export, the same
    answer twice); the keywords are what analysing each text on its own gives."""
    texts = [t for _, t, _ in corpus()]
    fresh = [T.keywords_of(kiwi.tokenize(T._unmasked_words(mask_personal(t)))) for t in texts]
    monkeypatch.setattr(T, "_KEYWORDS", {})
    seen: list[str] = []

    class Counting:
        def tokenize(self, chunk):
            seen.extend(chunk)
            return kiwi.tokenize(chunk)
    monkeypatch.setattr(T, "tokenizer", lambda: Counting())
    assert T.extract_keywords(texts + texts[:5]) == fresh + fresh[:5]
    assert len(seen) == len(set(texts))               # a repeated answer is tokenised once
    again = T.extract_keywords(texts[::-1])
    assert again == fresh[::-1] and len(seen) == len(set(texts))  # nothing tokenised the second time
    again[0].append("바뀐 말")                         # a caller's list is its own
    assert T.extract_keywords(texts[-1:]) == fresh[-1:]
    monkeypatch.setattr(T, "KEYWORDS_KEPT", 3)          # full: forgets, analyses again, same answer
    assert T.extract_keywords(texts[:10]) == fresh[:10]
