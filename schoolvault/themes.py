"""Open answers understood (서술형 의견 주제): keywords, themes and group keywords of a survey's comments.

Why: a school reads hundreds of open answers a year and picks a few for the report by hand. Grouping them
by what they are about (급식, 방과후·돌봄, 화장실 …), with counts per 평가주체 and the most typical answers,
lets the school check its scores against what people wrote.

Pipeline (pure Python, deterministic — no random seeds, every tie broken by a stable key):

1. **Keywords** (`keywords_of`). Each comment is masked first (`masking.mask_personal`), so nothing a
   person could be identified by can become a keyword or a quote. Kiwi (kiwipiepy, a Korean morphological
   analyser) tags it; runs of adjacent nouns (NNG/NNP, with the suffix 님) form noun phrases. A
   one-syllable noun is glued to the two-syllable noun before it (방과 + 후 → 방과후, 급식 + 실 → 급식실).
   A comment's keywords are the units of its phrases (two or more syllables, not stop words) and each
   adjacent pair joined *without a space* whose second unit is not a stop word (돌봄 + 교실 → 돌봄교실,
   학교 + 폭력 → 학교폭력; not 연락 + 부탁). Keys never hold
   spaces, so "방과후" / "방과 후" / "방과후학교" give the same keys. Stop words (school-survey filler such as
   학교, 생각, 감사) are data: `resources/text/stopwords.txt`, loaded once.
2. **Keyword clusters.** The vocabulary is the keywords in at least `min_df` comments (and at most half
   of them), at most MAX_VOCAB by document frequency. Two keywords are alike by the cosine of their comment
   sets, |A∩B| / √(|A|·|B|). Average-linkage agglomerative clustering merges the two most alike clusters
   while their average similarity is at least LINK_THRESHOLD.
3. **Themes.** A comment goes to the cluster whose keywords it shares with the largest Σ idf
   (idf = ln(N / df)); a comment sharing none is 기타. Clusters with fewer than `min_size` comments are
   dissolved and their comments re-assigned, until every theme is big enough (MAX_THEMES at most). So a
   comment belongs to one theme at most.
4. **Label and quotes.** A theme's label is its 2–3 most frequent keywords among its comments. Each
   comment's vector is its keywords weighted by idf (L2-normalised); the theme centroid is the mean of its
   comments' vectors; the representative comments are the ones with the highest cosine to the centroid
   (ties: shorter text, then comment id).

Group keywords (`group_keywords`): for each group and keyword, the share of the group's comments that use
it against the share among the other groups' comments, as a log odds ratio with 0.5 added to every cell
(Haldane–Anscombe), and its z = log OR / SE. Keywords with z ≥ GROUP_Z and at least GROUP_MIN_COUNT of
the group's comments are listed, strongest first.

Privacy (n<5): `publishable(result)` is what may leave the school: per group, a theme whose respondents are
under MIN_GROUP_N is "n<5" (with the complementary cell, `forms.breakdown.hidden_cells`), and quotes come
only from groups with at least MIN_GROUP_N respondents, never from a hidden cell.
"""

from __future__ import annotations

import heapq
import math
import re
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .errors import SchoolVaultError
from .forms.breakdown import hidden_cells
from .forms.groups import canonical_group, group_order
from .forms.periods import DOCUMENT_PERIOD, require_period
from .forms.scoring import SUPPRESSED, suppressed
from .masking import PLACEHOLDERS, mask_personal
from .progress import NULL_PROGRESS
from .resources import resource_dir

OTHER = "기타"
NOUN_TAGS = frozenset({"NNG", "NNP"})
GLUE_SUFFIXES = frozenset({"님"})   # XSN glued to the noun before it (선생 + 님); 들 is dropped
MIN_KEYWORD_LEN = 2                 # syllables
MAX_VOCAB = 150                     # keywords taking part in clustering (most frequent first)
MAX_DF_SHARE = 0.5                  # a keyword in more than half of the comments says nothing
LINK_THRESHOLD = 0.12               # average cosine at which two keyword clusters stop merging
MAX_THEMES = 12
QUOTES = 3
LABEL_WORDS = 3
GROUP_Z = 1.96                      # two-sided 5 % for the group keyword log odds ratio
GROUP_MIN_COUNT = 3
GROUP_TOP = 10
TOKENIZE_CHUNK = 500

KEYWORDS_KEPT = 50_000               # texts whose keywords the session keeps (see extract_keywords)

_kiwi = None
_kiwi_lock = threading.Lock()
_KEYWORDS: dict[str, tuple[str, ...]] = {}  # text → its keywords, for the session
_keywords_lock = threading.Lock()


def tokenizer():
    """The Kiwi analyser, loaded on first use (about 2 s, ~150 MB of model) and shared afterwards.

    Call it from a worker, never from the GUI thread. Thread-safe: the first caller loads, others wait.
    The multi-word dictionary is left out (smaller bundle; nouns come out the same). Raises
    SchoolVaultError when kiwipiepy is not installed."""
    global _kiwi
    with _kiwi_lock:
        if _kiwi is None:
            try:
                import kiwipiepy_model  # type: ignore[import-untyped]
                from kiwipiepy import Kiwi  # type: ignore[import-untyped]
            except ImportError as e:
                raise SchoolVaultError("한국어 형태소 분석기(kiwipiepy)가 설치되어 있지 않습니다.",
                                       hint="pip install kiwipiepy 로 설치하세요.") from e
            _kiwi = Kiwi(model_path=kiwipiepy_model.get_model_path(), load_multi_dict=False)
    return _kiwi


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """resources/text/stopwords.txt, spaces removed; read once."""
    path = resource_dir() / "text" / "stopwords.txt"
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        w = "".join(line.split("#", 1)[0].split())
        if w:
            words.add(w)
    return frozenset(words)


def normalize(word: str) -> str:
    """The key of a keyword: spaces removed ("방과 후" → "방과후")."""
    return "".join(word.split())


def _runs(tokens) -> list[list[str]]:
    """Runs of adjacent nouns as units (방과 + 후 glued, 선생 + 님 glued)."""
    runs: list[list[str]] = []
    run: list[str] = []
    last_end = -2
    for t in tokens:
        tag = t.tag
        adjacent = t.start - last_end <= 1
        if tag in NOUN_TAGS or (tag == "XSN" and t.form in GLUE_SUFFIXES and run and adjacent):
            form = normalize(t.form)
            if run and adjacent and (tag == "XSN" or (len(form) == 1 and len(run[-1]) == 2)):
                run[-1] += form
            elif run and adjacent:
                run.append(form)
            else:
                if run:
                    runs.append(run)
                run = [form]
            last_end = t.start + t.len
            continue
        if tag == "XSN" and run and adjacent:  # 들: a plural, not a new word
            last_end = t.start + t.len
            continue
        if run:
            runs.append(run)
            run = []
        last_end = -2
    if run:
        runs.append(run)
    return runs


def keywords_of(tokens, stop: frozenset[str] | None = None) -> list[str]:
    """Keywords of one tokenised comment, in order of appearance, each once (see the module docstring)."""
    stop = stopwords() if stop is None else stop
    out: dict[str, None] = {}
    for run in _runs(tokens):
        for n, unit in enumerate(run):
            if len(unit) >= MIN_KEYWORD_LEN and unit not in stop:
                out[unit] = None
            if n and unit not in stop:  # 학교 + 폭력 → 학교폭력, but 연락 + 부탁 is no topic
                pair = run[n - 1] + unit
                if pair not in stop:
                    out[pair] = None
    return list(out)


def extract_keywords(texts: Sequence[str], progress=NULL_PROGRESS) -> list[list[str]]:
    """Keywords of each text (masked first), tokenised in chunks so Cancel is heard.

    A text's keywords depend on the text alone (one Kiwi, one stop-word list per process), so they are kept
    for the session (`_KEYWORDS`): the same answer written twice, the workbook after the 의견 주제 tab or the
    next export tokenise only texts not seen before. Kiwi costs about 0.25 ms of CPU per comment."""
    with _keywords_lock:
        known = {t: _KEYWORDS[t] for t in texts if t in _KEYWORDS}
    todo = [t for t in dict.fromkeys(texts) if t not in known]
    if todo:
        pool = _keyword_pool()
        for start in range(0, len(todo), TOKENIZE_CHUNK):
            progress.report(start, len(todo), "형태소 분석 중")
            chunk = todo[start:start + TOKENIZE_CHUNK]
            found = dict(zip(chunk, pool.submit(_chunk_keywords, chunk).result() if pool else _chunk_keywords(chunk)))
            known.update(found)
            with _keywords_lock:
                if len(_KEYWORDS) + len(found) > KEYWORDS_KEPT:
                    _KEYWORDS.clear()
                _KEYWORDS.update(found)
    return [list(known[t]) for t in texts]


def _chunk_keywords(chunk: list[str]) -> list[tuple[str, ...]]:
    """Keywords of each text of one chunk (in this process, or in the keyword process)."""
    stop = stopwords()
    return [tuple(keywords_of(tokens, stop))
            for tokens in tokenizer().tokenize([_unmasked_words(mask_personal(t)) for t in chunk])]


_pool_wanted = False
_pool: Any = None


def use_keyword_process(wanted: bool = True) -> None:
    """Tokenise in a separate process from now on (the GUI calls this at start-up).

    Why: loading Kiwi and its first analysis (about 1.4 s) run in C++ holding the GIL, so even on a worker
    thread they freeze the GUI thread. A one-worker process pool loads Kiwi once, in its own process."""
    global _pool_wanted
    _pool_wanted = wanted


def _keyword_pool():
    """The keyword process pool when wanted (started on first use), else None."""
    global _pool
    if not _pool_wanted:
        return None
    with _kiwi_lock:
        if _pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor
            _pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_exit_with_parent)
            # shut down before the interpreter tears modules down (else a noisy "Exception ignored" at exit)
            import atexit
            atexit.register(_pool.shutdown, wait=False, cancel_futures=True)
    return _pool


def _exit_with_parent() -> None:
    """In the keyword process: end when the app ends, even when it was killed (no orphan holding Kiwi)."""
    import multiprocessing

    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()


def _exit_with(parent) -> None:
    import os

    parent.join()
    os._exit(0)


def _unmasked_words(masked: str) -> str:
    """The masked text without the mask's placeholders: (전자우편) must not become a keyword."""
    for p in PLACEHOLDERS:
        masked = masked.replace(p, " ")
    return masked


# ---------------------------------------------------------------- the pure part (no workspace)

@dataclass(frozen=True)
class CommentIn:
    """One comment going into the analysis."""

    id: int
    group: str
    respondent: int
    text: str
    selected: bool = False


@dataclass(frozen=True)
class Quote:
    id: int
    group: str
    text: str          # masked
    similarity: float
    selected: bool


@dataclass
class Theme:
    label: str
    keywords: list[str]                        # label words first, then the cluster's other keywords
    comments: int
    by_group: dict[str, dict[str, int]]        # group → {"comments", "respondents"}
    quotes: list[Quote]                        # the most central comments (inside the school)
    quotes_outside: list[Quote]                # the same, from groups with ≥ MIN_GROUP_N respondents only
    members: list[Quote] = field(repr=False)   # every comment of the theme, most central first


@dataclass
class ThemesResult:
    instrument: str
    year: int | None
    period: str | None
    group: str | None
    groups: dict[str, dict[str, int]]          # group → {"respondents", "comments"}
    themes: list[Theme]
    other: Theme                               # 기타: comments in no theme
    comments: int

    def to_dict(self, *, members: bool = False) -> dict:
        def theme(t: Theme) -> dict:
            d = {"label": t.label, "keywords": t.keywords, "comments": t.comments, "by_group": t.by_group,
                 "quotes": [_quote(q) for q in t.quotes]}
            if members:
                d["members"] = [_quote(q) for q in t.members]
            return d
        return {"instrument": self.instrument, "year": self.year, "period": self.period, "group": self.group,
                "comments": self.comments, "groups": self.groups, "themes": [theme(t) for t in self.themes],
                "other": theme(self.other)}


def _quote(q: Quote) -> dict:
    return {"id": q.id, "group": q.group, "text": q.text, "similarity": round(q.similarity, 4),
            "selected": q.selected}


def _group_key(g: str) -> tuple:
    return (group_order(g), g)


def min_df_for(n: int) -> int:
    return max(2, math.ceil(n * 0.003))


def min_size_for(n: int) -> int:
    return max(4, math.ceil(n * 0.01))


def _cluster(vocab: list[str], bits: dict[str, int], df: dict[str, int]) -> list[list[str]]:
    """Average-linkage clustering of keywords by the cosine of their comment sets (bitsets)."""
    n = len(vocab)
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    sim: dict[tuple[int, int], float] = {}
    heap: list[tuple[float, int, int]] = []
    for i in range(n):
        bi, di = bits[vocab[i]], df[vocab[i]]
        for j in range(i + 1, n):
            co = (bi & bits[vocab[j]]).bit_count()
            if co:
                s = co / math.sqrt(di * df[vocab[j]])
                sim[(i, j)] = s
                if s >= LINK_THRESHOLD:
                    heap.append((-s, i, j))
    heapq.heapify(heap)
    next_id = n
    while heap:
        _neg, a, b = heapq.heappop(heap)
        if a not in members or b not in members:
            continue  # a merged-away cluster
        na, nb = len(members[a]), len(members[b])
        new = next_id
        next_id += 1
        members[new] = members.pop(a) + members.pop(b)
        for c in sorted(members):
            if c == new:
                continue
            sa = sim.get((min(a, c), max(a, c)), 0.0)
            sb = sim.get((min(b, c), max(b, c)), 0.0)
            s = (na * sa + nb * sb) / (na + nb)  # Lance–Williams, average linkage
            if s > 0:
                sim[(c, new)] = s
                if s >= LINK_THRESHOLD:
                    heapq.heappush(heap, (-s, c, new))
    clusters = [sorted((vocab[i] for i in m), key=lambda w: (-df[w], w)) for m in members.values()]
    return sorted(clusters, key=lambda c: (-sum(df[w] for w in c), c[0]))


def _assign(docs: list[list[str]], clusters: list[list[str]], idf: dict[str, float]) -> list[int]:
    """Each comment's cluster index (-1: none): the cluster with the largest Σ idf of shared keywords."""
    where = {w: k for k, c in enumerate(clusters) for w in c}
    out = []
    for kws in docs:
        score: dict[int, float] = {}
        for w in kws:
            k = where.get(w)
            if k is not None:
                score[k] = score.get(k, 0.0) + idf[w]
        out.append(min(score, key=lambda k: (-score[k], k)) if score else -1)
    return out


def _label(words: list[str], counts: Counter) -> list[str]:
    """2–3 most frequent keywords. A word gives way to a compound holding it that most of its comments use
    (교실 → 돌봄교실), and a word sharing two syllables with one already taken is skipped (학교폭력, 폭력예방)."""
    def best(w: str) -> str:
        longer = [o for o in words if w in o and o != w and counts[o] * 2 >= counts[w]]
        return min(longer, key=lambda o: (-counts[o], len(o), o)) if longer else w

    ranked = sorted((w for w in words if counts[w]), key=lambda w: (-counts[w], len(w), w))
    out: list[str] = []
    for w in ranked:
        w = best(w)
        if any(_overlap(w, o) for o in out):
            continue
        if len(out) == 2 and counts[w] * 2 < counts[out[1]]:
            break
        out.append(w)
        if len(out) == LABEL_WORDS:
            break
    return out


def _overlap(a: str, b: str) -> bool:
    return any(a[i:i + 2] in b for i in range(len(a) - 1))


def themes_of(comments: Sequence[CommentIn], keywords: Sequence[list[str]], *, instrument: str = "",
              year: int | None = None, period: str | None = None, group: str | None = None,
              group_sizes: dict[str, int] | None = None, progress=NULL_PROGRESS) -> ThemesResult:
    """Themes of comments whose keywords are given (the pure part of `comment_themes`).

    group_sizes: respondents per group (for the n<5 quote rule); default: respondents seen in comments."""
    n = len(comments)
    sizes = dict(group_sizes) if group_sizes else {}
    for c in comments:
        sizes.setdefault(c.group, 0)
    if not group_sizes:
        for g in sizes:
            sizes[g] = len({c.respondent for c in comments if c.group == g})
    docs = [list(dict.fromkeys(k)) for k in keywords]
    df: Counter = Counter(w for kws in docs for w in kws)
    min_df = min_df_for(n)
    vocab = sorted((w for w, f in df.items() if f >= min_df and f <= max(min_df, MAX_DF_SHARE * n)),
                   key=lambda w: (-df[w], w))[:MAX_VOCAB]
    vset = set(vocab)
    docs_v = [[w for w in kws if w in vset] for kws in docs]
    bits: dict[str, int] = {w: 0 for w in vocab}
    for i, kws in enumerate(docs_v):
        for w in kws:
            bits[w] |= 1 << i
    idf = {w: math.log(n / df[w]) + 1e-9 for w in vocab}
    progress.report(1, 3, "주제 묶는 중")
    clusters = _cluster(vocab, bits, df) if vocab else []
    min_size = min_size_for(n)
    while True:
        where = _assign(docs_v, clusters, idf)
        size = Counter(k for k in where if k >= 0)
        keep = [k for k in sorted(size, key=lambda k: (-size[k], k)) if size[k] >= min_size][:MAX_THEMES]
        if len(keep) == len(clusters):
            break
        clusters = [clusters[k] for k in sorted(keep)]
        if not clusters:
            where = [-1] * n
            break
    progress.report(2, 3, "대표 의견 고르는 중")
    vecs = []
    for kws in docs_v:
        norm = math.sqrt(sum(idf[w] ** 2 for w in kws)) or 1.0
        vecs.append({w: idf[w] / norm for w in kws})
    respondents_total = {g: sizes[g] for g in sorted(sizes, key=_group_key)}

    def build(idx: list[int], words: list[str] | None) -> Theme:
        centroid: dict[str, float] = {}
        for i in idx:
            for w, v in vecs[i].items():
                centroid[w] = centroid.get(w, 0.0) + v / len(idx)
        cnorm = math.sqrt(sum(v * v for v in centroid.values())) or 1.0
        quotes = []
        for i in idx:
            c = comments[i]
            s = sum(v * centroid.get(w, 0.0) for w, v in vecs[i].items()) / cnorm
            quotes.append(Quote(c.id, c.group, mask_personal(c.text), s, c.selected))
        quotes.sort(key=lambda q: (-round(q.similarity, 9), len(q.text), q.id))
        by_group: dict[str, dict[str, int]] = {}
        for g in sorted({comments[i].group for i in idx}, key=_group_key):
            mine = [comments[i] for i in idx if comments[i].group == g]
            by_group[g] = {"comments": len(mine), "respondents": len({c.respondent for c in mine})}
        if words is None:
            label, kws = [OTHER], []
        else:
            counts = Counter(w for i in idx for w in docs_v[i] if w in words)
            label = _label(words, counts)
            kws = label + [w for w in sorted(words, key=lambda w: (-counts[w], w)) if w not in label and counts[w]]
        return Theme(" · ".join(label), kws, len(idx), by_group, _distinct(quotes, QUOTES),
                     _distinct([q for q in quotes if not suppressed(respondents_total.get(q.group, 0))], QUOTES),
                     quotes)

    themes = [build([i for i, k in enumerate(where) if k == t], clusters[t]) for t in range(len(clusters))]
    themes = [t for t in themes if t.comments]
    themes.sort(key=lambda t: (-t.comments, t.label))
    other = build([i for i, k in enumerate(where) if k < 0], None)
    group_comments = Counter(c.group for c in comments)
    groups = {g: {"respondents": respondents_total[g], "comments": group_comments.get(g, 0)}
              for g in respondents_total}
    progress.report(3, 3, "")
    return ThemesResult(instrument, year, period, group, groups, themes, other, n)


def _distinct(quotes: list[Quote], k: int) -> list[Quote]:
    """The first k quotes with different (masked) texts: "급식 개선" five times is one quote."""
    out, seen = [], set()
    for q in quotes:
        key = normalize(q.text)
        if key in seen:
            continue
        seen.add(key)
        out.append(q)
        if len(out) == k:
            break
    return out


def keywords_by_group(comments: Sequence[CommentIn], keywords: Sequence[list[str]], *, top: int = GROUP_TOP,
                      min_count: int = GROUP_MIN_COUNT, z_min: float = GROUP_Z) -> dict[str, list[dict]]:
    """Per group, the keywords it uses much more than the other groups (the pure part of `group_keywords`).

    For a group g and keyword w: a = g's comments with w, b = g's other comments, c and d the same for
    the other groups. log OR = ln((a+½)(d+½) / ((b+½)(c+½))), SE = √(Σ 1/(cell+½)), z = log OR / SE.
    Listed when a ≥ min_count and z ≥ z_min, by z then count then keyword."""
    docs = [set(k) for k in keywords]
    by_g: dict[str, list[int]] = {}
    for i, c in enumerate(comments):
        by_g.setdefault(c.group, []).append(i)
    out: dict[str, list[dict]] = {}
    if len(by_g) < 2:
        return {g: [] for g in by_g}
    total: Counter = Counter(w for d in docs for w in d)
    for g in sorted(by_g, key=_group_key):
        mine = Counter(w for i in by_g[g] for w in docs[i])
        n1 = len(by_g[g])
        n2 = len(comments) - n1
        rows: list[dict[str, Any]] = []
        for w, a in mine.items():
            if a < min_count:
                continue
            oc = total[w] - a  # the other groups' comments using w
            b, d = n1 - a, n2 - oc
            log_or = math.log((a + .5) * (d + .5) / ((b + .5) * (oc + .5)))
            z = log_or / math.sqrt(1 / (a + .5) + 1 / (b + .5) + 1 / (oc + .5) + 1 / (d + .5))
            if z >= z_min:
                rows.append({"keyword": w, "count": a, "share": a / n1, "others_count": oc,
                             "others_share": oc / n2 if n2 else 0.0,
                             "ratio": ((a + .5) / (n1 + 1)) / ((oc + .5) / (n2 + 1)),
                             "log_odds_ratio": log_or, "z": z})
        rows.sort(key=lambda r: (-round(r["z"], 9), -r["count"], r["keyword"]))
        out[g] = rows[:top]
    return out


# ---------------------------------------------------------------- the workspace part

def survey_comments(ws, instrument_id: str, group: str | None = None, *, year: int | None = None,
                    period: str | None = DOCUMENT_PERIOD) -> tuple[list[CommentIn], dict[str, int]]:
    """Meaningful comments of the survey's administrations of the year and period, and respondents per group.

    Raises SchoolVaultError for an unknown survey or a group the survey does not have."""
    from . import reads
    from .importing.comments import is_meaningless
    from .workspace import responses

    survey = reads.survey(ws, instrument_id)
    g = canonical_group(group) if group else None
    if g is not None and g not in survey.groups:
        raise SchoolVaultError(f"응답 집단 '{group}'은(는) 이 설문에 없습니다.",
                               hint="이 설문의 응답 집단: " + ", ".join(survey.groups))
    if year is None:
        _, year = reads.require_school(ws)
    period = require_period(period) if period is not None else None
    by_group: dict[str, list] = {}
    for adm in responses.administrations(ws, year, instrument_id, g, period=period):
        by_group.setdefault(adm.group, []).append(adm)
    out: list[CommentIn] = []
    sizes: dict[str, int] = {}
    for grp in sorted(by_group, key=_group_key):
        adms = by_group[grp]
        sizes[grp] = sum(a.n_respondents for a in adms)
        for cid, rid, _q, text, selected in responses.comment_rows(ws, [a.id for a in adms]):
            if not is_meaningless(text):
                out.append(CommentIn(cid, grp, rid, text, bool(selected)))
    return out, sizes


def comment_themes(ws, instrument_id: str, group: str | None = None, *, year: int | None = None,
                   period: str | None = DOCUMENT_PERIOD, progress=NULL_PROGRESS) -> ThemesResult:
    """Themes of a survey's comments (서술형 의견 주제) for the year and period (default 학년말; None = all).

    Loads Kiwi on first use: call from a worker. Raises SchoolVaultError (unknown survey or group, kiwipiepy
    missing) and Cancelled."""
    comments, sizes = survey_comments(ws, instrument_id, group, year=year, period=period)
    if year is None:
        from . import reads
        _, year = reads.require_school(ws)
    keywords = extract_keywords([c.text for c in comments], progress) if comments else []
    return themes_of(comments, keywords, instrument=instrument_id, year=year, period=period,
                     group=canonical_group(group) if group else None, group_sizes=sizes, progress=progress)


def group_keywords(ws, instrument_id: str, *, year: int | None = None, period: str | None = DOCUMENT_PERIOD,
                   progress=NULL_PROGRESS) -> dict:
    """{"groups": {group: {"respondents", "comments"}}, "keywords": {group: [rows]}} (see keywords_by_group)."""
    comments, sizes = survey_comments(ws, instrument_id, year=year, period=period)
    keywords = extract_keywords([c.text for c in comments], progress) if comments else []
    counts = Counter(c.group for c in comments)
    return {"instrument": instrument_id, "period": period,
            "groups": {g: {"respondents": n, "comments": counts.get(g, 0)} for g, n in sizes.items()},
            "keywords": keywords_by_group(comments, keywords)}


# ---------------------------------------------------------------- what may leave the school

def publishable(result: ThemesResult) -> dict:
    """The themes as they may leave the school (workbook, documents).

    Per group: the group's comment count is published; a theme cell (and 기타) whose respondents are under
    MIN_GROUP_N is "n<5", and so is the complementary cell `hidden_cells` names; a group under MIN_GROUP_N
    respondents shows no counts at all. Quotes come only from groups with MIN_GROUP_N respondents or more."""
    all_themes = result.themes + [result.other]
    hidden: dict[str, set[int]] = {}
    for g, info in result.groups.items():
        counts = {str(k): t.by_group.get(g, {}).get("respondents", 0) for k, t in enumerate(all_themes)}
        hide = hidden_cells(counts, info["respondents"])
        hidden[g] = {int(k) for k in hide}

    def cell(k: int, t: Theme, g: str):
        got = t.by_group.get(g)
        if suppressed(result.groups[g]["respondents"]) or k in hidden[g]:
            return {"comments": SUPPRESSED, "respondents": SUPPRESSED} if got or suppressed(
                result.groups[g]["respondents"]) else {"comments": 0, "respondents": 0}
        return dict(got) if got else {"comments": 0, "respondents": 0}

    def theme(k: int, t: Theme) -> dict:
        return {"label": t.label, "keywords": t.keywords, "comments": t.comments,
                "by_group": {g: cell(k, t, g) for g in result.groups},
                "quotes": [{"group": q.group, "text": q.text} for q in _distinct(
                    [q for q in t.members if q.group not in small and k not in hidden[q.group]], QUOTES)]}

    small = {g for g, info in result.groups.items() if suppressed(info["respondents"])}

    groups = {g: ({"respondents": SUPPRESSED, "comments": SUPPRESSED} if suppressed(info["respondents"])
                  else dict(info)) for g, info in result.groups.items()}
    return {"instrument": result.instrument, "year": result.year, "period": result.period, "groups": groups,
            "themes": [theme(k, t) for k, t in enumerate(result.themes)],
            "other": theme(len(result.themes), result.other)}


def theme_text(result: ThemesResult) -> str:
    """A readable Korean summary for the CLI."""
    if not result.comments:
        return "분석할 서술형 의견이 없습니다."
    lines = [f"서술형 의견 {result.comments}개 · 주제 {len(result.themes)}개"
             + (f" ({result.period})" if result.period else "")]
    for n, t in enumerate(result.themes + [result.other], 1):
        if not t.comments:
            continue
        per = ", ".join(f"{g} {v['comments']}개/{v['respondents']}명" for g, v in t.by_group.items())
        head = t.label if t is not result.other else "기타 (어느 주제에도 들지 않은 의견)"
        lines.append(f"\n{n}. {head} — 의견 {t.comments}개 ({per})")
        if t is not result.other:
            lines += [f"   · [{q.group}] {_one_line(q.text)}" for q in t.quotes]
    return "\n".join(lines)


def keywords_text(result: dict) -> str:
    lines = []
    for g, rows in result["keywords"].items():
        info = result["groups"].get(g, {})
        lines.append(f"{g} (의견 {info.get('comments', 0)}개): " + (", ".join(
            f"{r['keyword']} {r['count']}개 ({r['share'] * 100:.0f}% / 다른 집단 {r['others_share'] * 100:.0f}%)"
            for r in rows) or "두드러진 핵심어 없음"))
    return "\n".join(lines) if lines else "분석할 서술형 의견이 없습니다."


_SPACES = re.compile(r"\s+")


def _one_line(text: str, limit: int = 120) -> str:
    t = _SPACES.sub(" ", text).strip()
    return t if len(t) <= limit else t[:limit - 1] + "…"


def tokenize_texts(texts: Iterable[str]) -> list:
    """Kiwi.tokenize over the texts as they are (the benchmark's raw baseline)."""
    return list(tokenizer().tokenize(list(texts)))
