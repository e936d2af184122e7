"""Half-up rounding, the five bands and the action thresholds, at their edges."""
import pytest

from csi_core.method.grades import csi_needs_review, grade_a, grade_of, item_needs_action, round_half_up


@pytest.mark.parametrize("value,rounded", [(97.95, 98.0), (90.05, 90.1), (75.05, 75.1), (59.95, 60.0),
                                           (79.95, 80.0), (70.04, 70.0), (70.05, 70.1), (0.05, 0.1), (84.25, 84.3)])
def test_half_up(value, rounded):
    assert round_half_up(value) == rounded


@pytest.mark.parametrize("csi,grade", [
    (100, "very_satisfied"), (98.0, "very_satisfied"), (97.95, "very_satisfied"), (97.94, "satisfied"),
    (90.1, "satisfied"), (90.05, "satisfied"), (90.04, "fairly_satisfied"), (90.0, "fairly_satisfied"),
    (75.1, "fairly_satisfied"), (75.05, "fairly_satisfied"), (75.04, "dissatisfied"), (75.0, "dissatisfied"),
    (60.0, "dissatisfied"), (59.95, "dissatisfied"), (59.94, "very_dissatisfied"), (0, "very_dissatisfied"),
])
def test_bands(csi, grade):
    assert grade_of(csi).key == grade


@pytest.mark.parametrize("csi,review", [(79.94, True), (79.95, False), (80.0, False), (79.9, True), (50, True)])
def test_csi_below_80_needs_review(csi, review):
    assert csi_needs_review(csi) is review
    assert grade_a(csi) is not review


@pytest.mark.parametrize("score,action", [(0.70, True), (0.7004, True), (0.70049, True), (0.7005, False),
                                          (0.701, False), (0.69, True), (0.9, False)])
def test_item_at_or_below_70_needs_action(score, action):
    assert item_needs_action(score) is action


def test_float_noise_does_not_flip_a_rounding():
    assert round_half_up(0.1 + 0.2 + 70 - 0.3 + 0.05) == 70.1
    assert round_half_up(100 * 0.7005) == 70.1


def test_a_csi_that_is_not_a_number_has_no_grade():
    with pytest.raises(ValueError, match="not a number has no grade"):
        grade_of(float("nan"))
