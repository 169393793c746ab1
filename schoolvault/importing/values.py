"""Answer values: Korean scale labels and their variants → integers 1..k; scale inference.

Forms write the same answer many ways: `매우 그렇다`, `매우그렇다`, `5`, `5점`, `⑤`, `매우 그렇다(5)`,
`⑤ 매우 그렇다`. When a cell has both a number and a label the label wins, because many paper and
online forms number their options from the top (① 매우 그렇다 … ⑤ 전혀 그렇지 않다).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from ..forms.model import Scale

INVALID = -1  # a cell that is not an answer on the scale
MAX_SCALE_POINTS = 11

_CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}  # ① … ⑳
_CIRCLED.update({chr(0x2776 + i): i + 1 for i in range(10)})  # ❶ … ❿
_NUM_LEAD = re.compile(r"^[\(\[（]?\s*(\d{1,2})\s*점?\s*[.)\]）:]?\s*(.*)$", re.DOTALL)
_NUM_TAIL = re.compile(r"^(.*?)\s*[\(\[（]\s*(\d{1,2})\s*점?\s*[\)\]）]\s*$", re.DOTALL)
_NON_WORD = re.compile(r"[\W_]+")


def label_key(text: str) -> str:
    """A label without spaces, punctuation and polite/short endings: '매우 그렇다.' → '매우그렇'."""
    t = _NON_WORD.sub("", unicodedata.normalize("NFC", str(text)))  # a Mac's NFD labels are the same words
    for end in ("습니다", "입니다", "이다", "해요", "다", "요", "함", "음"):
        if t.endswith(end) and len(t) > len(end) + 1:
            t = t[: -len(end)]
            break
    return t


@dataclass(frozen=True)
class ScaleFamily:
    """A known set of Korean answer labels (low → high) with variant spellings per position."""

    name: str
    labels: tuple[str, ...]
    variants: tuple[tuple[str, ...], ...]  # per position: other spellings

    @property
    def points(self) -> int:
        return len(self.labels)

    def keys(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for n, (lab, more) in enumerate(zip(self.labels, self.variants), start=1):
            for v in (lab, *more):
                out[label_key(v)] = n
        return out

    def scale(self) -> Scale:
        return Scale(self.points, self.labels)


_AGREE_LOW2 = (("전혀그렇지않", "전혀 아니다", "전혀 그렇지않다", "매우 그렇지 않다", "전혀 그렇지 않음"),
               ("그렇지 않다", "아니다", "그렇지않다", "그렇지 않음", "그렇지않음"))
_AGREE_HIGH2 = (("그렇다", "그런 편이다", "그렇습니다", "그러함"), ("매우 그렇다", "아주 그렇다", "매우그렇다", "매우 그러함"))

FAMILIES: tuple[ScaleFamily, ...] = (
    ScaleFamily("agree5", ("전혀 그렇지 않다", "그렇지 않다", "보통이다", "그렇다", "매우 그렇다"),
                (_AGREE_LOW2[0], _AGREE_LOW2[1], ("보통", "보통이다", "그저 그렇다", "중간", "보통임"),
                 _AGREE_HIGH2[0], _AGREE_HIGH2[1])),
    ScaleFamily("agree4", ("전혀 그렇지 않다", "그렇지 않다", "그렇다", "매우 그렇다"),
                (_AGREE_LOW2[0], _AGREE_LOW2[1], _AGREE_HIGH2[0], _AGREE_HIGH2[1])),
    ScaleFamily("satisfy5", ("매우 불만족", "불만족", "보통", "만족", "매우 만족"),
                (("매우 불만족한다", "매우 불만"), ("불만족한다", "불만"), ("보통이다",), ("만족한다",),
                 ("매우 만족한다",))),
    ScaleFamily("satisfy4", ("매우 불만족", "불만족", "만족", "매우 만족"),
                (("매우 불만족한다", "매우 불만"), ("불만족한다", "불만"), ("만족한다",), ("매우 만족한다",))),
    ScaleFamily("consent5", ("전혀 동의하지 않음", "동의하지 않음", "보통", "동의함", "매우 동의함"),
                (("전혀 동의하지 않는다",), ("동의하지 않는다",), ("보통이다",), ("동의한다",), ("매우 동의한다",))),
    ScaleFamily("consent4", ("전혀 동의하지 않음", "동의하지 않음", "동의함", "매우 동의함"),
                (("전혀 동의하지 않는다",), ("동의하지 않는다",), ("동의한다",), ("매우 동의한다",))),
)


def family_of(scale: Scale) -> ScaleFamily | None:
    """The known family whose labels are the scale's labels (same points), if any."""
    keys = [label_key(x) for x in scale.labels]
    for fam in FAMILIES:
        fk = fam.keys()
        if fam.points == scale.points and all(fk.get(k) == n for n, k in enumerate(keys, 1)):
            return fam
    return None


def split_cell(text: str) -> tuple[int | None, str]:
    """A cell as (number, label text): '⑤ 매우 그렇다' → (5, '매우 그렇다'); '5점' → (5, '')."""
    t = unicodedata.normalize("NFC", text).strip()
    num = None
    if t and t[0] in _CIRCLED:
        num, t = _CIRCLED[t[0]], t[1:].strip()
    elif t and t[-1] in _CIRCLED:
        num, t = _CIRCLED[t[-1]], t[:-1].strip()
    else:
        m = _NUM_LEAD.match(t) or _NUM_TAIL.match(t)
        if m is not None and m.re is _NUM_LEAD:
            num, t = int(m.group(1)), m.group(2).strip()
        elif m is not None:
            num, t = int(m.group(2)), m.group(1).strip()
    return num, t


_INTEGRAL = re.compile(r"^(\d{1,2})(?:[.,]0+)?$")  # no sign: "+5" is not an answer a form writes


def _integral(text: str) -> int | None:
    """'5', '5.0', '5,0' (a decimal comma) → 5; None for anything else."""
    m = _INTEGRAL.match(unicodedata.normalize("NFKC", text).strip())
    return int(m.group(1)) if m else None


class ValueParser:
    """Cell → 1..k, None (blank) or INVALID, for one scale; cached per distinct cell value."""

    def __init__(self, scale: Scale):
        self.points = scale.points
        self._labels = {label_key(lab): n for n, lab in enumerate(scale.labels, start=1)}
        fam = family_of(scale)
        if fam is not None:
            for k, n in fam.keys().items():
                self._labels.setdefault(k, n)
        self.cache: dict = {}  # public: the import loop looks values up here before calling

    def __call__(self, cell):
        if cell is True or cell is False:  # hash-equal to 1 and 0: never through the cache
            return INVALID
        try:
            return self.cache[cell]
        except KeyError:
            pass
        except TypeError:  # unhashable: never from our readers, but be safe
            return self._parse(cell)
        v = self.cache[cell] = self._parse(cell)
        return v

    def _parse(self, cell):
        k = self.points
        if cell is None:
            return None
        if isinstance(cell, bool):
            return INVALID
        if isinstance(cell, (int, float)):
            if math.isnan(cell):
                return None
            if not math.isfinite(cell):
                return INVALID
            v = int(cell)
            return v if v == cell and 1 <= v <= k else INVALID
        text = str(cell).strip()
        if not text:
            return None
        key = label_key(text)
        if key in self._labels:
            return self._labels[key]
        whole = _integral(text)
        if whole is not None:  # "5.0" as a sheet saved the number
            return whole if 1 <= whole <= k else INVALID
        num, rest = split_cell(text)
        if rest:
            rk = label_key(rest)
            if rk in self._labels:
                return self._labels[rk]
            return INVALID
        if num is not None and 1 <= num <= k:
            return num
        return INVALID


@dataclass(frozen=True)
class ScaleGuess:
    """What a column's answers say about its scale: a known family, numbers only, or free text."""

    kind: str  # "labels" | "numbers" | "text" | "empty"
    families: tuple[ScaleFamily, ...] = ()
    max_number: int = 0
    distinct: int = 0


def guess_column(cells) -> ScaleGuess:
    """Whether a column holds scale answers (and which families fit) or free text."""
    seen: set[str] = set()
    nums: set[int] = set()
    other = 0
    total = 0
    all_keys = [fam.keys() for fam in FAMILIES]
    for c in cells:
        if c is None or (isinstance(c, str) and not c.strip()):
            continue
        total += 1
        if isinstance(c, (int, float)) and not isinstance(c, bool):
            if c == int(c) and 0 <= c <= MAX_SCALE_POINTS:
                nums.add(int(c))
            else:
                other += 1
            continue
        text = str(c).strip()
        whole = _integral(text)
        if whole is not None:
            if 0 <= whole <= MAX_SCALE_POINTS:
                nums.add(whole)
            else:
                other += 1
            continue
        key = label_key(text)
        if any(key in ks for ks in all_keys):
            seen.add(key)
            continue
        num, rest = split_cell(text)
        if rest and any(label_key(rest) in ks for ks in all_keys):
            seen.add(label_key(rest))
        elif num is not None and not rest and 0 <= num <= MAX_SCALE_POINTS:
            nums.add(num)
        else:
            other += 1
    if total == 0:
        return ScaleGuess("empty")
    if other > 0.2 * total or (other and not seen and not nums):
        return ScaleGuess("text", distinct=other)
    if seen:
        fams = tuple(f for f, ks in zip(FAMILIES, all_keys) if all(k in ks for k in seen))
        if fams:
            return ScaleGuess("labels", fams, max(nums, default=0), len(seen))
        return ScaleGuess("text", distinct=len(seen))
    return ScaleGuess("numbers", (), max(nums), len(nums))


def infer_scale(guesses: list[ScaleGuess], points: int | None = None) -> tuple[Scale, list[str]]:
    """One scale for a form's scale columns, from the label set the seen labels belong to.

    A school where nobody chose 전혀 그렇지 않다 still has a 5-point scale: the family is decided by
    which labels exist in it (보통이다 only in the 5-point set), not by how many were seen. When the
    labels fit a 4- and a 5-point family alike, the 5-point one is used and a note says so.
    """
    notes: list[str] = []
    label_guesses = [g for g in guesses if g.kind == "labels"]
    if label_guesses:
        fams = [f for f in FAMILIES if all(f in g.families for g in label_guesses)]
        if points is not None:
            fams = [f for f in fams if f.points == points] or fams
        if not fams:
            fams = list(label_guesses[0].families)
        five = [f for f in fams if f.points == 5]
        chosen = five[0] if five and points in (None, 5) else fams[0]
        if len({f.points for f in fams}) > 1 and points is None:
            notes.append(f"응답 라벨이 4점·5점 척도 모두에 맞아 {chosen.points}점 척도로 정했습니다. "
                         "다르면 척도 점수를 지정하세요.")
        return chosen.scale(), notes
    top = max((g.max_number for g in guesses if g.kind == "numbers"), default=0)
    k = points or max(5, top)
    k = min(k, MAX_SCALE_POINTS)
    if points is None:
        notes.append(f"응답이 숫자뿐이어서 {k}점 척도로 정했습니다. 다르면 척도 점수를 지정하세요.")
    fam = next((f for f in FAMILIES if f.name == f"agree{k}"), None)
    labels = fam.labels if fam else tuple(str(n) for n in range(1, k + 1))
    return Scale(k, labels), notes
