"""The index formula and grade bands of PermenPAN-RB 14/2017 (pure logic)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ckanext.layananpublik.survey import rules


def test_there_are_the_nine_unsur_of_the_regulation_on_a_four_point_scale():
    assert rules.CODES == tuple(f"u{n}" for n in range(1, 10))
    assert tuple(rules.SCALE) == (1, 2, 3, 4)
    assert abs(rules.WEIGHT * 9 - 1) < Decimal("1e-20")  # each of the nine weighs 1/9


@pytest.mark.parametrize(
    "value, grade",
    [("100", "A"), ("88.31", "A"), ("88.305", "A"), ("88.30", "B"), ("76.61", "B"), ("76.60", "C"),
     ("65.00", "C"), ("64.99", "D"), ("25", "D")],
)  # fmt: skip
def test_the_grade_bands_meet_at_the_regulation_s_bounds(value, grade):
    assert rules.grade(Decimal(value))[0] == grade


def test_the_index_is_the_mean_of_the_nine_nrr_times_25():
    # Two respondents; NRR per unsur = sum / 2.
    sums = dict(zip(rules.CODES, (7, 6, 5, 8, 6, 7, 8, 5, 6), strict=True))
    result = rules.index(sums, 2)
    assert [u["nrr"] for u in result["unsur"]] == [3.5, 3.0, 2.5, 4.0, 3.0, 3.5, 4.0, 2.5, 3.0]
    # (3.5+3+2.5+4+3+3.5+4+2.5+3) / 9 = 29/9 = 3.2222…; × 25 = 80.555… → 80.56, grade B (Baik).
    assert result["ikm"] == 80.56 and result["grade"] == "B"
    assert result["unsur"][2]["converted"] == 62.5 and result["unsur"][2]["grade"] == "D"
    assert result["unsur"][0]["nrr_weighted"] == 0.389  # 3.5 × 1/9


def test_all_very_good_is_100_and_all_not_good_is_25():
    assert rules.index(dict.fromkeys(rules.CODES, 4), 1)["ikm"] == 100.0
    lowest = rules.index(dict.fromkeys(rules.CODES, 3), 3)
    assert lowest["ikm"] == 25.0 and lowest["grade"] == "D"


def test_no_respondent_gives_no_index():
    assert rules.index({}, 0) == {"unsur": [], "ikm": None, "grade": None, "grade_label": None}
