"""Answer values: label variants, 4- and 5-point scales, and scale inference from label sets."""

from __future__ import annotations

import pytest

from schoolvault.forms.model import Scale
from schoolvault.importing.values import (
    FAMILIES,
    INVALID,
    ValueParser,
    guess_column,
    infer_scale,
)

AGREE5 = Scale(5, ("전혀 그렇지 않다", "그렇지 않다", "보통이다", "그렇다", "매우 그렇다"))
AGREE4 = Scale(4, ("전혀 그렇지 않다", "그렇지 않다", "그렇다", "매우 그렇다"))


@pytest.mark.parametrize("cell", ["매우 그렇다", "매우그렇다", " 매우  그렇다 ", "5", 5, 5.0, "5점", "⑤",
                                  "매우 그렇다(5)", "매우 그렇다 (5점)", "⑤ 매우 그렇다", "5. 매우 그렇다",
                                  "(5) 매우 그렇다", "매우 그렇다."])
def test_every_way_of_writing_the_top_answer_is_5(cell):
    assert ValueParser(AGREE5)(cell) == 5


def test_the_label_wins_over_a_top_down_option_number():
    # many forms number options from the top: ① 매우 그렇다 … ⑤ 전혀 그렇지 않다
    p = ValueParser(AGREE5)
    assert p("① 매우 그렇다") == 5 and p("⑤ 전혀 그렇지 않다") == 1


@pytest.mark.parametrize("cell,want", [("보통이다", 3), ("보통", 3), ("그렇다", 4), ("그렇지 않다", 2),
                                       ("전혀 그렇지 않다", 1), ("그렇습니다", 4), (None, None), ("", None),
                                       ("  ", None)])
def test_five_point_labels_and_blanks(cell, want):
    assert ValueParser(AGREE5)(cell) == want


@pytest.mark.parametrize("cell,want", [("매우 그렇다", 4), ("그렇다", 3), ("4", 4), ("5", INVALID),
                                       ("보통이다", INVALID), ("1", 1)])
def test_four_point_scale_has_no_middle_and_no_5(cell, want):
    assert ValueParser(AGREE4)(cell) == want


@pytest.mark.parametrize("cell", ["6", 0, 2.5, "잘 모르겠다", "1학년", True])
def test_values_off_the_scale_are_invalid(cell):
    assert ValueParser(AGREE5)(cell) == INVALID


def test_a_school_where_nobody_chose_the_lowest_answer_still_has_five_points():
    g = [guess_column(["매우 그렇다", "그렇다", "보통이다"]), guess_column(["그렇다", "매우 그렇다"])]
    scale, notes = infer_scale(g)
    assert scale.points == 5 and scale.labels[0] == "전혀 그렇지 않다" and not notes


def test_four_point_labels_without_a_middle_are_ambiguous_and_say_so_unless_told():
    g = [guess_column(["매우 그렇다", "그렇다", "그렇지 않다", "전혀 그렇지 않다"])]
    scale, notes = infer_scale(g)
    assert scale.points == 5 and notes
    scale4, notes4 = infer_scale(g, points=4)
    assert scale4.points == 4 and not notes4


def test_satisfaction_labels_give_the_satisfaction_scale():
    scale, _ = infer_scale([guess_column(["만족", "매우 만족", "보통"])])
    assert scale.labels == next(f for f in FAMILIES if f.name == "satisfy5").labels


def test_free_text_is_not_a_scale():
    assert guess_column(["급식이 맛있어요", "없음", "체험학습을 늘려 주세요"]).kind == "text"
    assert guess_column([None, "", " "]).kind == "empty"
    assert guess_column([1, 2, 5, "3"]).kind == "numbers"
