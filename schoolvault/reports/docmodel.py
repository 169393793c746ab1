"""A document as data (문서 모델): sections, headings, paragraphs and tables, written by several writers.

The 학교평가서 is built once as a `Document` and written as PDF, HWPX or DOCX (`writers.write_document`, by
the output's suffix). The model holds only text: every number is formatted before it gets here, so no writer
computes or rounds anything. Tables carry their header rows separately (writers repeat them on every page),
cells may span rows and columns (merged header cells), and a tick cell (`TICK`) is drawn as each format
draws a check mark best. Widths are relative weights; each writer scales them to its page.

No Qt, no I/O here, and no writer: the writers import this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SchoolVaultError

TICK = "✔"     # one 4단계 of a 영역 and 평가주체 (서식3-1); the PDF draws it, its font has no such glyph
ASKED = "○"    # a 평가주체 that answered an item (서식3-2)
EMPTY = ""
SUFFIXES = (".hwpx", ".docx", ".pdf")  # the order the GUI offers them: 한글 first


@dataclass(frozen=True)
class Cell:
    """One table cell. `rowspan`/`colspan` > 1 merge cells; covered cells are simply left out of the row."""

    text: str = EMPTY
    colspan: int = 1
    rowspan: int = 1
    align: str = "l"          # l | c | r
    bold: bool = False
    shaded: bool = False      # a label cell (grey background)

    @property
    def tick(self) -> bool:
        return self.text == TICK


@dataclass(frozen=True)
class Table:
    """A table: relative column widths, header rows (repeated on each page), body rows.

    Rows list the cells that start there; a cell covered by a span from above or the left is omitted,
    so `grid()` can place every cell without the writer guessing."""

    widths: tuple[float, ...]
    header: tuple[tuple[Cell, ...], ...]
    rows: tuple[tuple[Cell, ...], ...]
    font_size: float = 9.0    # points; a wide item list asks for a smaller one
    caption: str = ""         # a note under the table

    @property
    def columns(self) -> int:
        return len(self.widths)

    def all_rows(self) -> tuple[tuple[Cell, ...], ...]:
        return self.header + self.rows

    def grid(self) -> list[list[tuple[int, int, Cell]]]:
        """Per row, (row, column, cell) of the cells that start in it, columns resolved around spans.

        Raises ValueError when a row does not fill the table's width (a bug in a section function)."""
        covered: set[tuple[int, int]] = set()
        out = []
        for r, row in enumerate(self.all_rows()):
            placed, c = [], 0
            for cell in row:
                while (r, c) in covered:
                    c += 1
                placed.append((r, c, cell))
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        covered.add((r + dr, c + dc))
                c += cell.colspan
            width = max([c] + [cc + 1 for rr, cc in covered if rr == r])
            if width != self.columns:
                raise ValueError(f"table row {r} spans {width} columns, not {self.columns}")
            out.append(placed)
        return out


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1            # 1 = a 서식, 2 = a part of it, 3 = a 평가주체 or 영역 inside


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = "body"       # body | note (small, grey) | title | subtitle


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | Table | PageBreak


@dataclass
class Document:
    """Title and running header text, then blocks in reading order."""

    title: str
    header: str               # the running header: school and year
    blocks: list[Block] = field(default_factory=list)
    landscape: bool = False

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def text(self) -> str:
        """Every text of the document in reading order (tests compare a written file with it)."""
        out: list[str] = [self.title]
        for b in self.blocks:
            if isinstance(b, (Heading, Paragraph)):
                out.append(b.text)
            elif isinstance(b, Table):
                out += [c.text for row in b.all_rows() for c in row if c.text]
                if b.caption:
                    out.append(b.caption)
        return "\n".join(out)


def head(*texts: str, spans: Sequence[int] = ()) -> tuple[Cell, ...]:
    """A header row of bold, shaded, centred cells; `spans` gives each one's colspan (default 1)."""
    spans = list(spans) + [1] * (len(texts) - len(spans))
    return tuple(Cell(t, colspan=s, align="c", bold=True, shaded=True) for t, s in zip(texts, spans))


def check_suffix(out: str | Path) -> str:
    """The writer a file name asks for ('.pdf', '.hwpx', '.docx'); Korean error for anything else."""
    suffix = Path(out).suffix.lower()
    if suffix not in SUFFIXES:
        raise SchoolVaultError(f"만들 수 없는 파일 형식입니다: {Path(out).name}",
                               hint="파일 이름을 .hwpx(한글), .docx(워드) 또는 .pdf로 끝내세요.")
    return suffix

