"""The documents a school makes, in one list: `schoolvault-cli report`/`export` and the 보고서 page both read
it and write through `write_report`. A kind's module is imported only when a document of that kind is
written, so listing the kinds (the GUI's start, every CLI command) loads neither reportlab nor xlsxwriter."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import SchoolVaultError
from ..progress import NULL_PROGRESS, Progress

if TYPE_CHECKING:
    from ..workspace.db import Workspace

DOCUMENT_FORMATS = (".hwpx", ".docx", ".pdf")  # 한글 first: schools edit the 학교평가서 there before it goes out
QUESTIONNAIRE_FORMATS = (".pdf", ".hwpx", ".docx")  # PDF first: a paper form is mostly printed as it is


@dataclass(frozen=True)
class Request:
    """What a document was asked for; each kind passes on only what its function takes."""

    instrument: str | None
    group: str | None
    year: int | None
    progress: Progress


@dataclass(frozen=True)
class ReportKind:
    key: str
    title: str
    description: str
    file_label: str  # the last part of the suggested file name
    formats: tuple[str, ...]  # the file formats it can be written as, the default first
    write: Callable[[Workspace | None, str | Path, Request], dict]
    needs_survey: bool = False
    needs_group: bool = False

    @property
    def suffix(self) -> str:
        return self.formats[0]


def _submission(ws, out, r: Request) -> dict:
    from .school_report import school_report
    return school_report(ws, out, kind="submission", year=r.year, progress=r.progress)


def _internal(ws, out, r: Request) -> dict:
    from .school_report import school_report
    return school_report(ws, out, kind="internal", year=r.year, progress=r.progress)


def _evaluation(ws, out, r: Request) -> dict:
    from .evaluation_report import evaluation_report
    return evaluation_report(ws, out, year=r.year, progress=r.progress)


def _sodi(ws, out, r: Request) -> dict:
    from .sodi_report import sodi_report
    return sodi_report(ws, out, instrument=r.instrument, year=r.year, progress=r.progress)


def _workbook(ws, out, r: Request) -> dict:
    from .workbook import export_workbook
    return export_workbook(ws, out, year=r.year, progress=r.progress)


def _questionnaire(ws, out, r: Request) -> dict:
    """A blank form needs no workspace (ws None): the CLI makes one without a school."""
    from .questionnaire import questionnaire
    if not r.instrument or not r.group:
        raise SchoolVaultError("설문지를 만들려면 설문과 응답 집단을 골라야 합니다.")
    return questionnaire(ws, out, instrument=r.instrument, group=r.group, progress=r.progress)


REPORTS = (
    ReportKind("submission", "학교평가서 (제출용)",
               "교육청 서식 그대로의 학교평가서입니다: 영역별 평가 결과(영역 × 평가주체 × 4단계), 결과 분석 및 종합의견, "
               "특색사례(서식3-1), 평가문항 목록(서식3-2). 문항별 점수는 넣지 않습니다. 한글에서 고쳐 쓸 수 있습니다.",
               "학교평가서_제출용", DOCUMENT_FORMATS, _submission),
    ReportKind("internal", "학교평가서 (교내 보관용)",
               "제출용과 같은 구성에 평가주체별 문항 점수(응답 수, 평균, 응답 분포)와 영역·세부영역 평균을 더한 "
               "학교 안에서 보관하는 문서입니다.",
               "학교평가서_교내보관용", DOCUMENT_FORMATS, _internal),
    ReportKind("evaluation", "학교평가 결과 보고서 (PDF)",
               "교육지원청에 제출하는 연간 보고서입니다. 지표별 등급과 근거, 설문 결과, 강점과 개선 계획이 들어갑니다.",
               "학교평가결과보고서", (".pdf",), _evaluation),
    ReportKind("sodi", "학교조직진단(SODI) 결과 보고서 (PDF)",
               "교직원과 컨설팅단이 함께 보는 조직진단 보고서입니다. 영역·요인 점수, 집단 비교, 신뢰도가 들어갑니다.",
               "학교조직진단보고서", (".pdf",), _sodi, needs_survey=True),
    ReportKind("workbook", "컨설팅·제출용 엑셀 파일 (.xlsx)",
               "컨설팅단이 검토하고 교육지원청이 모으는 파일입니다. 요약, 지표별 자체평가, 문항 통계, 원자료(익명)가 들어갑니다.",
               "학교평가자료", (".xlsx",), _workbook),
    ReportKind("questionnaire", "종이 설문지",
               "종이로 설문할 때 인쇄할 설문지입니다. 설문과 응답 집단을 고르세요. 한글이나 워드로 만들면 "
               "인쇄 전에 고쳐 쓸 수 있습니다.",
               "설문지", QUESTIONNAIRE_FORMATS, _questionnaire, needs_survey=True, needs_group=True),
)


KINDS = {k.key: k for k in REPORTS}


def write_report(ws: Workspace | None, key: str, out: str | Path, *, instrument: str | None = None,
                 group: str | None = None, year: int | None = None, progress: Progress = NULL_PROGRESS) -> dict:
    """Write the document `key` to `out` (its format by the suffix); returns what its function returns,
    at least {"file"}. `year` None is the current year; `instrument`/`group` only matter to the kinds that
    need them."""
    return KINDS[key].write(ws, out, Request(instrument, group, year, progress))
