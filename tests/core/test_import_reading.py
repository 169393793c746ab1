"""Reading response files: encodings, HTML saved as .xls, cover sheets, encrypted and foreign files."""

from __future__ import annotations

import pytest
from _import_util import write_csv, write_xlsx

from schoolvault.errors import ImportRefused
from schoolvault.importing.reading import (
    decode_text,
    file_kind,
    read_table,
    sheet_names,
)

HEADER = ["타임스탬프", "1. 우리 학교는 서로 돕는다.", "2. 회의에서\n의견을 말할 수 있다."]
ROWS = [["2025/05/01 9:00", "매우 그렇다", "그렇다"], ["2025/05/01 9:01", "보통이다", "전혀 그렇지 않다"]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949", "euc-kr"])
def test_csv_in_every_korean_encoding_reads_the_same(tmp_path, encoding):
    f = write_csv(tmp_path / "a.csv", HEADER, ROWS, encoding=encoding)
    t = read_table(f)
    assert t.header == HEADER
    assert [r for _, r in t.data_rows()] == ROWS


def test_cp949_text_is_detected_not_guessed_as_latin(tmp_path):
    raw = "매우 그렇다,그렇지 않다,보통이다\n".encode("cp949") * 3
    assert decode_text(raw, "x.csv").startswith("매우 그렇다")


def test_html_table_saved_as_xls_is_read(tmp_path):
    cells = "".join(f"<td>{c}</td>" for c in ["타임스탬프", "1. 우리 학교는 서로 돕는다.", "2. 회의에서<br>의견을 말할 수 있다."])
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in ROWS)
    html = (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=euc-kr"></head>'
            f"<body><table><tr>{cells}</tr>{body}</table></body></html>")
    f = tmp_path / "나이스_다운로드.xls"
    f.write_bytes(html.encode("euc-kr"))
    assert file_kind(f) == "html"
    t = read_table(f)
    assert t.header == HEADER
    assert [r for _, r in t.data_rows()] == ROWS


def test_cover_sheet_and_title_rows_before_the_data_are_passed_over(tmp_path):
    f = write_xlsx(tmp_path / "a.xlsx", {
        "표지": [["2025 학교평가 설문 결과"], ["작성: 평가부"]],
        "응답": [["2025 교원 설문"], [""], HEADER, *ROWS, ["", "", ""], ["", "", ""]],
    })
    assert sheet_names(f) == ["표지", "응답"]
    t = read_table(f)
    assert t.sheet == "응답" and t.header_row == 2
    assert t.header == HEADER
    assert [n for n, _ in t.data_rows()] == [4, 5]  # spreadsheet row numbers; trailing blank rows dropped


def test_named_sheet_that_does_not_exist_is_refused(tmp_path):
    f = write_xlsx(tmp_path / "a.xlsx", {"응답": [HEADER, *ROWS]})
    with pytest.raises(ImportRefused, match="시트"):
        read_table(f, "없는시트")


def test_password_protected_workbook_is_refused_with_a_clear_message(tmp_path):
    import io

    from msoffcrypto.format.ooxml import OOXMLFile
    plain = write_xlsx(tmp_path / "plain.xlsx", {"응답": [HEADER, *ROWS]})
    enc = tmp_path / "암호.xlsx"
    with open(plain, "rb") as src:
        buf = io.BytesIO()
        OOXMLFile(src).encrypt("1234", buf)
    enc.write_bytes(buf.getvalue())
    with pytest.raises(ImportRefused, match="암호"):
        read_table(enc)


@pytest.mark.parametrize("content", [b"\x00\x01\x02garbage" * 50, b"PK\x03\x04not really a zip" * 10])
def test_foreign_or_damaged_files_are_refused(tmp_path, content):
    f = tmp_path / "x.xlsx"
    f.write_bytes(content)
    with pytest.raises(ImportRefused):
        read_table(f)


@pytest.mark.parametrize(("head", "named"), [(b"%PDF-1.4\n%\x93\x8c\x8b\x9e\n1 0 obj", "PDF 문서"),
                                             (b"\x89PNG\r\n\x1a\n", "그림 파일(PNG)")])
def test_a_document_renamed_xlsx_is_named_not_taken_for_a_csv(tmp_path, head, named):
    f = tmp_path / "응답.xlsx"
    f.write_bytes(head + b"stream text without nul bytes " * 40)
    with pytest.raises(ImportRefused) as e:
        read_table(f)
    assert named in e.value.message and "인코딩" not in str(e.value)
    assert e.value.where == "응답.xlsx" and ".csv" in e.value.hint
