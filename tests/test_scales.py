"""Answer labels → codes → coefficients (METHOD.md, the five answer levels)."""
import numpy as np
import pytest

from csi_core.reading.scales import NOT_ANSWERED, SCALES, UNKNOWN, code_of, codes_of, parse_mapping

DEFAULT = SCALES["default"]


@pytest.mark.parametrize("label,level", [
    ("很满意", 5), ("非常满意", 5), ("very satisfied", 5), ("5", 5), (5, 5), (5.0, 5),
    ("较满意", 4), ("比较满意", 4), ("满意", 4), ("satisfied", 4), ("4", 4), ("4.0", 4),
    ("一般", 3), ("基本满意", 3), ("neutral", 3), ("3", 3),
    ("不满意", 2), ("较不满意", 2), ("不太满意", 2), ("dissatisfied", 2), ("2", 2),
    ("很不满意", 1), ("非常不满意", 1), ("very dissatisfied", 1), ("1", 1),
])
def test_every_label_of_method(label, level):
    assert code_of(label, DEFAULT) == level


@pytest.mark.parametrize("variant,level", [
    (" 很满意 ", 5), ("很满意\u3000", 5), ("很 满意", 5), ("VERY SATISFIED", 5), ("Very  Satisfied", 5),
    ("ｖｅｒｙ ｓａｔｉｓｆｉｅｄ", 5), ("５", 5), ("Satisfied ", 4), ("\t满意\n", 4), ("Dissatisfied", 2),
])
def test_width_case_and_spacing_variants(variant, level):
    assert code_of(variant, DEFAULT) == level


@pytest.mark.parametrize("blank", [None, "", "   ", "\u3000", "不适用", "N/A", "n/a", "NA", "na", "Ｎ／Ａ", " N/A "])
def test_not_answered(blank):
    assert code_of(blank, DEFAULT) == NOT_ANSWERED


@pytest.mark.parametrize("value", ["好", "3.5", "0", "6", "satisfiedd", "-", "很满意!", "4,0"])
def test_unknown_is_never_guessed(value):
    assert code_of(value, DEFAULT) == UNKNOWN


def test_explicit_mapping_wins():
    assert code_of("好", DEFAULT, parse_mapping("好=4", DEFAULT)) == 4
    assert code_of("其他", DEFAULT, parse_mapping("其他=NA", DEFAULT)) == NOT_ANSWERED
    with pytest.raises(ValueError):
        parse_mapping("好=7", DEFAULT)
    with pytest.raises(ValueError):
        parse_mapping("好", DEFAULT)


@pytest.mark.parametrize("name,coef", [
    ("default", [1.0, 0.8, 0.5, 0.2, 0.0]),
    ("100-80-60-30-0", [1.0, 0.8, 0.6, 0.3, 0.0]),
    ("20-16-12-8-4", [1.0, 0.8, 0.6, 0.4, 0.2]),
    ("likert", [1.0, 0.75, 0.5, 0.25, 0.0]),
])
def test_coefficient_sets(name, coef):
    assert SCALES[name].coef[[5, 4, 3, 2, 1]].tolist() == coef


def test_numeric_scales_map_linearly():
    assert code_of("7", SCALES["0-10"]) == 7
    assert SCALES["0-10"].coef[7] == pytest.approx(0.7)
    assert code_of("85", SCALES["0-100"]) == 85
    assert code_of("很满意", SCALES["0-10"]) == UNKNOWN
    assert code_of("11", SCALES["0-10"]) == UNKNOWN


def test_codes_of_many_cells_equals_one_by_one():
    cells = ["很满意", None, " 4 ", "N/A", "好", "一般", None, "1"]
    assert codes_of(cells, DEFAULT).tolist() == [code_of(c, DEFAULT) for c in cells]
    assert codes_of([], DEFAULT).dtype == np.int16


from hypothesis import given, settings, strategies as st  # noqa: E402
import unicodedata  # noqa: E402

import pyarrow as pa  # noqa: E402

from csi_core.reading.scales import clean_text, clean_texts, id_keys  # noqa: E402

texts = st.lists(st.one_of(st.none(), st.text(alphabet=st.sampled_from(
    list("aAｂＢ1１ 　\t\n满意客户-_/.") + ["\u00a0", "\u2003", "\u3000"]), max_size=12)), max_size=20)


@given(texts)
@settings(max_examples=200, deadline=None)
def test_column_forms_equal_cell_forms(values):
    """The Arrow (whole-column) forms agree with the one-cell forms used elsewhere."""
    array = pa.array(values, pa.string())
    assert clean_texts(array).tolist() == [clean_text(v) for v in values]
    assert id_keys(array).tolist() == [unicodedata.normalize("NFKC", v).lower().strip() if v is not None else "" for v in values]
