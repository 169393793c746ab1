"""Matching headers to item texts, and dropping personal-data columns."""

from __future__ import annotations

import pytest

from schoolvault.importing.headers import (
    MATCH_ACCEPT,
    Target,
    clean_header,
    is_personal_header,
    looks_personal,
    match_columns,
)

ITEMS = [Target("Q1", "우리 학교는 교직원 회의에서 자유롭게 의견을 말할 수 있다.", "item"),
         Target("Q2", "학교는 학부모의 의견을 학교 운영에 반영한다.", "item"),
         Target("Q3", "나는 우리 학교의 교육 목표를 알고 있다.", "item")]


@pytest.mark.parametrize("prefix", ["1. ", "1) ", "Q1. ", "(1) ", "① ", "문항 1. ", "【영역】 Ⅰ-1. 소통과 협력 – ", "[교원] 1. "])
def test_numbering_and_area_tags_do_not_stop_a_match(prefix):
    m = match_columns([prefix + ITEMS[1].text], ITEMS)[0]
    assert m.target.code == "Q2" and m.confidence >= 0.9


def test_shuffled_columns_with_spacing_and_punctuation_changes_map_one_to_one():
    headers = ["나는 우리학교의 교육목표를 알고 있다", "학교는  학부모의 의견을 학교 운영에 반영한다?",
               "1. 우리 학교는 교직원 회의에서 자유롭게 의견을 말할수 있다."]
    got = {ci: m.target.code for ci, m in match_columns(headers, ITEMS).items()}
    assert got == {0: "Q3", 1: "Q2", 2: "Q1"}


def test_a_slightly_reworded_question_matches_with_lower_confidence():
    m = match_columns(["우리 학교는 교직원 회의에서 자유롭게 의견을 말할 수 있습니다."], ITEMS)[0]
    assert m.target.code == "Q1" and MATCH_ACCEPT <= m.confidence < 1


def test_an_unrelated_question_is_left_unmapped_with_a_best_guess():
    m = match_columns(["급식은 맛있고 위생적이다."], ITEMS)[0]
    assert m.target is None and m.confidence < MATCH_ACCEPT


def test_an_item_code_as_header_is_an_exact_match():
    assert match_columns(["Q3"], ITEMS)[0].target.code == "Q3"


@pytest.mark.parametrize("header", ["이메일 주소", "이름", "성명", "학생 이름", "전화번호", "연락처", "학번", "휴대폰 번호", "Email",
                                    "출석번호", "학년 반 번호"])
def test_personal_data_headers(header):
    assert is_personal_header(header)


@pytest.mark.parametrize("header", ["우리 학교는 학생의 이름을 불러 주며 존중한다고 생각하십니까?", "1. 학교 회의 문화", "타임스탬프"])
def test_questions_mentioning_a_name_are_not_personal_columns(header):
    assert not is_personal_header(header)


def test_a_column_of_e_mail_addresses_or_phone_numbers_is_personal_whatever_its_header():
    assert looks_personal(["kim@school.kr", "lee@naver.com", None, "park@daum.net"])
    assert looks_personal(["010-1234-5678", "01098765432"])
    assert not looks_personal(["매우 그렇다", "그렇다"])


def test_clean_header_strips_repeated_prefixes():
    assert clean_header("【영역】 1. Q1. 학교는 안전하다.") == "학교는 안전하다."


@pytest.mark.parametrize("header", ["학년", "자녀의 학년", "성별", "교직 경력", "담당 교과"])
def test_who_answered_columns_are_demographic_not_questions(header):
    from schoolvault.importing.headers import is_demographic_header
    assert is_demographic_header(header) and not is_personal_header(header)


def test_response_numbers_are_not_personal():
    assert not is_personal_header("응답번호") and not is_personal_header("번호")
