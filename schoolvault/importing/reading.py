"""Reading response files into rows of cells: .xlsx/.xls (python-calamine), .csv, HTML saved as .xls.

The kind of file is decided by its first bytes, not by its name: Korean web systems save an HTML
table under an ".xls" name, and a password-protected workbook is an OLE file whatever it is called.
Raises ImportRefused with a Korean message when a file cannot be read.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from ..errors import ImportRefused
from ..filetypes import foreign_kind

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
# Zip bombs: a 500 KB .xlsx can unpack to gigabytes and the reader holds it all in memory.
# A real survey export (10,000 respondents × 60 items) unpacks to a few tens of MB at ratios ~10×.
MAX_UNZIPPED_MB = 400
SUSPICIOUS_UNZIPPED_MB, SUSPICIOUS_RATIO = 50, 100
HEADER_SCAN_ROWS = 15  # a header row is looked for among the first rows (titles above it are common)


@dataclass
class Table:
    """One sheet as rows of raw cells; `header_row` is the 0-based index of the question row."""

    sheet: str
    rows: list[list]
    sheets: list[str] = field(default_factory=list)
    header_row: int = 0

    @property
    def header(self) -> list[str]:
        if not self.rows:
            return []
        return [_cell_text(c) for c in self.rows[self.header_row]]

    def data_rows(self):
        """(spreadsheet row number, cells) after the header row."""
        for i in range(self.header_row + 1, len(self.rows)):
            yield i + 1, self.rows[i]


def _cell_text(c) -> str:
    if c is None:
        return ""
    if isinstance(c, float) and c.is_integer():
        return str(int(c))
    return str(c).strip()


def file_kind(path: Path) -> str:
    """'xlsx', 'ole' (old .xls or an encrypted workbook), 'html' or 'text', from the first bytes."""
    try:
        with open(path, "rb") as f:
            head = f.read(2048)
    except OSError as e:
        raise ImportRefused("파일을 열 수 없습니다.", where=str(path), hint=e.strerror) from None
    if head.startswith(_ZIP_MAGIC):
        return "xlsx"
    if head.startswith(_OLE_MAGIC):
        return "ole"
    if foreign_kind(head):
        return "binary"
    probe = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if probe.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<?xml")) or b"<table" in probe:
        return "html"
    if b"\x00" in head[:512] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    return "text"


def _is_encrypted_ole(path: Path) -> bool:
    try:
        import msoffcrypto
        with open(path, "rb") as f:
            return bool(msoffcrypto.OfficeFile(f).is_encrypted())
    except Exception:  # noqa: BLE001 — not an Office file msoffcrypto understands: let calamine decide
        return False


def decode_text(raw: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else CP949/EUC-KR as charset-normalizer detects."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes
    best = from_bytes(raw[:200_000], cp_isolation=["cp949", "euc_kr", "utf_8", "cp1252"]).best()
    for enc in ([best.encoding] if best else []) + ["cp949"]:
        try:
            return raw.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    raise ImportRefused("파일의 문자 인코딩을 알 수 없습니다.", where=name,
                        hint="엑셀에서 'CSV UTF-8' 형식으로 다시 저장하세요.")


DELIMITERS = (",", ";", "\t", "|")
SNIFF_LINES = 30  # lines read to choose the delimiter


def detect_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the same number of cells, the most of them.

    Counting characters on the header line is not enough: a ';'-separated file whose questions contain
    commas ("학생, 교사, 학부모가 함께…") has more commas than semicolons there, but only ';' gives every
    row the header's width."""
    lines = text[:65536].splitlines()[:SNIFF_LINES]
    best, best_score = ",", (-1.0, 0)
    for d in DELIMITERS:
        try:
            widths = [len(r) for r in csv.reader(io.StringIO("\n".join(lines)), delimiter=d) if any(r)]
        except csv.Error:
            continue
        if not widths or max(widths) < 2:
            continue
        header = widths[0]
        same = sum(1 for w in widths if w == header) / len(widths)
        score = (same, header)
        if score > best_score:
            best, best_score = d, score
    return best


def _read_csv(path: Path) -> list[list]:
    text = decode_text(path.read_bytes(), path.name)
    delimiter = detect_delimiter(text)
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as e:  # e.g. one cell over the csv module's field limit (131,072 characters)
        raise ImportRefused("CSV 파일을 읽을 수 없습니다. 칸 하나가 너무 크거나 형식이 깨져 있습니다.", where=path.name,
                            hint=f"엑셀에서 열어 확인한 뒤 .xlsx로 저장해 가져오세요. ({e})") from None


class _HtmlTable(HTMLParser):
    """Rows of the first <table> with the most rows; <br> becomes a line break, colspan repeats blanks."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._stack: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self._span = 1

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._stack.append([])
        elif tag == "tr" and self._stack:
            self._stack[-1].append([])
        elif tag in ("td", "th") and self._stack:
            if not self._stack[-1]:
                self._stack[-1].append([])
            self._cell = []
            span = dict(attrs).get("colspan") or "1"
            self._span = int(span) if span.isdigit() else 1
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._stack:
            text = re.sub(r"[ \t\r\f\v\xa0]+", " ", "".join(self._cell)).strip()
            row = self._stack[-1][-1]
            row.append(text)
            row.extend([""] * (self._span - 1))
            self._cell = None
        elif tag == "table" and self._stack:
            self.tables.append(self._stack.pop())

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data.replace("\n", " "))


def _read_html(path: Path) -> list[list]:
    raw = path.read_bytes()
    m = re.search(rb"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", raw[:4096])
    text = None
    if m:
        try:
            text = raw.decode(m.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        text = decode_text(raw, path.name)
    parser = _HtmlTable()
    parser.feed(text)
    parser.close()
    while parser._stack:
        parser.tables.append(parser._stack.pop())
    if not parser.tables:
        raise ImportRefused("파일 안에 표가 없습니다.", where=path.name,
                            hint="응답이 표로 들어 있는 파일인지 확인하세요.")
    return max(parser.tables, key=len)


def _open_workbook(path: Path):
    from python_calamine import CalamineWorkbook
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as e:  # noqa: BLE001 — calamine has its own error types for damaged files
        raise ImportRefused("엑셀 파일을 읽을 수 없습니다.", where=path.name,
                            hint=f"파일이 손상되지 않았는지 확인하고, 엑셀에서 .xlsx로 다시 저장하세요. ({type(e).__name__})"
                            ) from None


def _check_excel(path: Path, kind: str) -> None:
    if kind == "ole" and _is_encrypted_ole(path):
        raise ImportRefused("암호가 걸린 파일입니다.", where=path.name,
                            hint="엑셀에서 암호를 해제하고 다시 저장한 뒤 가져오세요.")
    if kind == "binary":
        with open(path, "rb") as f:
            foreign = foreign_kind(f.read(16))
        what = f"응답 파일이 아니라 {foreign}입니다 (파일 이름과 내용이 다릅니다)." if foreign else "응답 파일 형식이 아닙니다."
        raise ImportRefused(what, where=path.name,
                            hint="설문 응답 시트에서 내려받은 .xlsx, .xls, .csv 파일을 고르세요.")
    if kind == "xlsx":
        _check_unzipped_size(path)


def _check_unzipped_size(path: Path) -> None:
    import zipfile
    try:
        with zipfile.ZipFile(path) as z:
            unzipped = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a readable zip: the workbook reader reports it in Korean
    mb = unzipped / 1e6
    ratio = unzipped / max(path.stat().st_size, 1)
    if mb > MAX_UNZIPPED_MB or (mb > SUSPICIOUS_UNZIPPED_MB and ratio > SUSPICIOUS_RATIO):
        raise ImportRefused(f"압축을 풀면 {mb:,.0f}MB가 되는 파일이라 가져오지 않았습니다 (정상적인 응답 파일이 아닐 수 있습니다).",
                            where=path.name, hint="응답 시트만 남겨 .xlsx로 다시 저장하거나 CSV로 저장해 가져오세요.")


def sheet_names(path: str | Path) -> list[str]:
    """Sheet names of a workbook; a CSV or HTML file has one unnamed sheet ("")."""
    path = Path(path)
    kind = file_kind(path)
    _check_excel(path, kind)
    if kind in ("xlsx", "ole"):
        return list(_open_workbook(path).sheet_names)
    return [""]


def _trim(rows: list[list]) -> list[list]:
    """Drop trailing blank rows (spreadsheets keep formatted but empty rows)."""
    end = len(rows)
    while end and not any(_cell_text(c) for c in rows[end - 1]):
        end -= 1
    return rows[:end]


def find_header_row(rows: list[list]) -> int:
    """Index of the question row: the first of the first rows that is at least half as wide as the widest."""
    widths = [sum(1 for c in r if _cell_text(c)) for r in rows[:HEADER_SCAN_ROWS]]
    if not widths:
        return 0
    widest = max(widths)
    for i, w in enumerate(widths):
        if w >= 2 and w * 2 >= widest:
            return i
    return widths.index(widest)


def _sheet_rows(wb, name: str) -> list[list]:
    try:
        return _trim(wb.get_sheet_by_name(name).to_python(skip_empty_area=False))
    except Exception as e:  # noqa: BLE001 — calamine reads sheets lazily: broken XML inside the file surfaces here
        raise ImportRefused(f"엑셀 파일의 시트 '{name}'을(를) 읽을 수 없습니다. 파일이 손상되었습니다.", where=name,
                            hint=f"엑셀에서 열어 .xlsx로 다시 저장한 뒤 가져오세요. ({type(e).__name__})") from None


def read_table(path: str | Path, sheet: str | None = None, *, choose=None) -> Table:
    """Rows of the named sheet, or of the sheet `choose(name, rows) -> score` likes best (default: the
    biggest), so that a cover sheet in front of the data is passed over."""
    path = Path(path)
    if not path.exists():
        raise ImportRefused("파일이 없습니다.", where=str(path), hint="경로를 확인하세요.")
    kind = file_kind(path)
    _check_excel(path, kind)
    if kind in ("xlsx", "ole"):
        wb = _open_workbook(path)
        names = list(wb.sheet_names)
        if sheet:
            if sheet not in names:
                raise ImportRefused(f"시트 '{sheet}'이(가) 없습니다.", where=path.name,
                                    hint=f"시트 목록: {', '.join(names)}")
            rows = _sheet_rows(wb, sheet)
            name = sheet
        else:
            best: tuple[float, str, list[list]] | None = None
            for n in names:
                r = _sheet_rows(wb, n)
                if len(names) == 1:
                    best = (0, n, r)
                    break
                score = choose(n, r) if choose else _size_score(r)
                if best is None or score > best[0]:
                    best = (score, n, r)
            assert best is not None
            _, name, rows = best
        return Table(sheet=name, rows=rows, sheets=names, header_row=find_header_row(rows))
    if kind == "html":
        rows = _trim(_read_html(path))
    elif path.suffix.lower() in TEXT_SUFFIXES or kind == "text":
        rows = _trim(_read_csv(path))
    else:  # pragma: no cover - file_kind covers every case
        raise ImportRefused("응답 파일 형식이 아닙니다.", where=path.name, hint=".xlsx, .xls, .csv 파일을 고르세요.")
    return Table(sheet="", rows=rows, sheets=[""], header_row=find_header_row(rows))


def _size_score(rows: list[list]) -> float:
    if not rows:
        return 0
    hr = find_header_row(rows)
    width = sum(1 for c in rows[hr] if _cell_text(c))
    return width * max(len(rows) - hr - 1, 0) + width * 0.001
