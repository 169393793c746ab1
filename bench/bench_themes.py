"""Comment themes benchmark: 5,000 comments beside Kiwi's raw tokenizer time on the same texts, same run.

Builds a workspace whose 학년말 survey holds N comments (default 5,000) written from theme phrases, filler
and personal data (names, phone numbers), spread over 교원/학생/학부모. Times, wall clock, best of --repeat:

- Kiwi load: the analyser's first load (once per process; not part of the figures below).
- raw: `Kiwi.tokenize` over the same texts (the baseline: analysis alone, nothing else).
- SchoolVault: `themes.comment_themes` on the workspace: read, filter, mask, tokenize, keywords, clustering,
  assignment, quotes. Goal: under 5 s for 5,000 comments.

    .venv/bin/python bench/bench_themes.py [--comments 5000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

GOAL_S = 5.0
SURVEY = "seoul-eval-survey-2025"
TOPICS = [
    ["급식 메뉴가", "급식 반찬이", "점심 급식이", "급식실 위생이", "급식 양이"],
    ["방과후 강좌가", "방과 후 수업이", "돌봄교실 시간이", "돌봄 교실 신청이", "방과후학교 프로그램이"],
    ["학교폭력 예방 교육이", "학교 폭력 사안 처리가", "등굣길 안전 지도가", "사이버 폭력 예방이"],
    ["알림장 앱 공지가", "가정통신문 안내가", "학부모 상담 기회가", "담임 선생님과 소통이"],
    ["화장실 청소가", "화장실 휴지가", "교실 냉난방 시설이", "운동장 시설이", "체육관 시설이"],
    ["진로 체험 활동이", "진로 상담이", "동아리 활동이", "체험학습 기회가"],
    ["수업 시간에 토론이", "수행평가 기준이", "과제 양이", "시험 범위 안내가"],
]
ENDINGS = ["더 많았으면 좋겠어요", "부족합니다", "좋아졌어요", "개선되었으면 합니다", "너무 늦어요", "만족스럽습니다",
           "아쉬워요", "필요합니다", "불편해요", "자주 있었으면 해요"]
FILLER = ["늘 감사합니다", "선생님들 고생 많으세요", "지금처럼만 해 주세요", "아이가 학교를 좋아해요", "열심히 하겠습니다"]
PERSONAL = ["김민준 선생님께 010-1234-5678로 연락 부탁드립니다", "문의는 parent.lee@naver.com 으로 주세요"]


def make_texts(n: int, seed: int = 17) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        g = ("교원", "학생", "학부모")[rng.choices([0, 1, 2], [1, 5, 4])[0]]
        r = rng.random()
        if r < 0.1:
            text = rng.choice(FILLER)
        elif r < 0.12:
            text = rng.choice(PERSONAL)
        else:
            topic = rng.choice(TOPICS)
            text = f"{rng.choice(topic)} {rng.choice(ENDINGS)}"
            if rng.random() < 0.4:
                other = rng.choice(topic)
                text += f". 그리고 {other} {rng.choice(ENDINGS)}"
        out.append((g, text))
    return out


def build(tmp: Path, texts: list[tuple[str, str]]) -> Path:
    from schoolvault import services
    from schoolvault.workspace import open_workspace, responses
    path = tmp / "bench.sqlite"
    services.init_workspace(path, name="벤치초등학교", level="초", district="동부", year=2025, code="B000000009").close()
    with open_workspace(path) as ws:
        ref = services.freeze_for_use(ws, SURVEY)
        with ws.transaction():
            for g in ("교원", "학생", "학부모"):
                rows = [responses.ResponseRow(n + 2, {}, {"O1": t}) for n, (grp, t) in enumerate(texts) if grp == g]
                responses.add_administration(ws, year=2025, instrument_ref=ref, group=g, rows=rows, method="bench")
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--comments", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    from schoolvault import themes
    from schoolvault.workspace import open_workspace
    texts = make_texts(args.comments)
    t0 = time.perf_counter()
    kiwi = themes.tokenizer()
    load = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as d:
        path = build(Path(d), texts)
        raw = ours = float("inf")
        result = None
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            list(kiwi.tokenize([t for _, t in texts]))
            raw = min(raw, time.perf_counter() - t0)
            with open_workspace(path, readonly=True) as ws:
                t0 = time.perf_counter()
                result = themes.comment_themes(ws, SURVEY, year=2025)
                ours = min(ours, time.perf_counter() - t0)
    assert result is not None
    print(f"comments: {result.comments} (of {args.comments} written; 의미 없는 답 제외), themes: {len(result.themes)}, "
          f"기타: {result.other.comments}")
    print(f"Kiwi load (once per process):          {load:6.2f} s")
    print(f"raw Kiwi.tokenize, same texts:         {raw:6.2f} s")
    print(f"SchoolVault comment_themes (all steps): {ours:6.2f} s  ({ours / raw:.2f}× raw; goal < {GOAL_S:.0f} s: "
          f"{'ok' if ours < GOAL_S else 'MISSED'})")
    for t in result.themes:
        print(f"  {t.label:<28} {t.comments:5d}  " + ", ".join(f"{g} {v['comments']}" for g, v in t.by_group.items()))
    return 0 if ours < GOAL_S else 1


if __name__ == "__main__":
    sys.exit(main())
