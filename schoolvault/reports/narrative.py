"""Report sentences from jinja2 templates in resources/templates/ (a district office may edit them).

Templates render paragraph markup for reportlab: values are escaped (autoescape), the template's
own <b> and <br/> stay. A blank line separates paragraphs. Filters: `josa` picks 을/를, 이/가,
은/는, 와/과, (으)로 by the last syllable (`pp` gives the particle alone); `pct`, `num`, `score` format numbers.
"""

from __future__ import annotations

from functools import lru_cache

from ..errors import SchoolVaultError
from ..resources import templates_dir

_PAIRS = {"을/를": ("을", "를"), "이/가": ("이", "가"), "은/는": ("은", "는"), "와/과": ("과", "와"),
          "으로/로": ("으로", "로"), "이다/다": ("이다", "다")}


def josa(word, pair: str = "을/를") -> str:
    """The word with the particle that fits its last syllable ('요인' → '요인을', '학교' → '학교를')."""
    word = str(word)
    with_final, without = _PAIRS[pair]
    last = word.rstrip()[-1:] if word.strip() else ""
    if last and "가" <= last <= "힣":
        final = (ord(last) - 0xAC00) % 28
        if pair == "으로/로" and final == 8:  # ㄹ받침 takes 로
            return word + "로"
        return word + (with_final if final else without)
    if last.isdigit():  # read the digit in Korean: 1 일, 3 삼 … have a final consonant
        return word + (with_final if last in "013678" else without)
    return word + f"{with_final}({without})"


@lru_cache(maxsize=1)
def _env():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
    env = Environment(loader=FileSystemLoader(str(templates_dir())), autoescape=select_autoescape(["j2"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["josa"] = josa
    env.filters["pp"] = lambda word, pair="을/를": josa(word, pair)[len(str(word)):]  # the particle alone
    env.filters["pct"] = lambda v: "–" if v is None else f"{v * 100:.0f}%"
    env.filters["num"] = lambda v, d=2: "–" if v is None else f"{v:.{d}f}"
    env.filters["score"] = lambda v: "–" if v is None else f"{v:.1f}"
    return env


def render(name: str, **context) -> list[str]:
    """Paragraph markups rendered from `name` (e.g. 'evaluation_summary.j2')."""
    from jinja2 import TemplateError
    try:
        text = _env().get_template(name).render(**context)
    except TemplateError as e:
        raise SchoolVaultError(f"보고서 문장 서식 파일에 오류가 있습니다: {name}",
                               where=str(templates_dir() / name) + (f":{line}" if (line := getattr(e, "lineno", None)) else ""),
                               hint=f"서식 파일을 고치거나 원래 파일로 되돌리세요. ({e})") from e
    paras = [" ".join(line.strip() for line in block.splitlines()).strip() for block in text.split("\n\n")]
    return [p for p in paras if p]
