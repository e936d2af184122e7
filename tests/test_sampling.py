"""csi_core.method.sampling: METHOD.md formula 8 and the response-rate arithmetic."""
import doctest

import pytest

from csi_core.method import sampling


def test_method_md_numbers():
    assert sampling.cochran(0.95, 0.5, 0.03) == 1068
    assert sampling.finite_population(100_000, 0.95, 0.5, 0.03) == 1056
    assert sampling.yamane(100_000, 0.03) == 1099


def test_plan_says_which_formula():
    assert sampling.plan(100_000, "cochran").n == 1056
    assert sampling.plan(100_000, "yamane").n == 1099
    assert sampling.plan(None).n == sampling.plan(None).n0 == 1068
    with pytest.raises(ValueError, match="needs the population"):
        sampling.plan(None, "yamane")
    with pytest.raises(ValueError, match="unknown method"):
        sampling.plan(10, "guess")


def test_small_population_never_exceeds_itself():
    assert sampling.finite_population(50) <= 50
    assert sampling.finite_population(1) == 1


def test_margin_of_error_inverts_cochran():
    n = sampling.finite_population(100_000)
    assert sampling.margin_of_error(n, 100_000) <= 0.03
    assert sampling.margin_of_error(n - 1, 100_000) > 0.03


def test_rates_and_sends():
    assert sampling.response_rate(396, 400) == 99.0
    assert sampling.response_rate(1, 0) is None
    assert sampling.valid_rate(0, 0) is None
    assert sampling.to_send(1056, 80) == 1320


def test_allocation_adds_up():
    out = sampling.allocate(100, {"a": 300, "b": 300, "c": 300})
    assert out == {"a": 34, "b": 33, "c": 33}


def test_allocation_never_exceeds_a_segment():
    assert sampling.allocate(1056, {"a": 3, "b": 3, "c": 3}) == {"a": 3, "b": 3, "c": 3}
    assert sampling.allocate(9, {"a": 3, "b": 3, "c": 3}) == {"a": 3, "b": 3, "c": 3}
    assert sampling.allocate(8, {"a": 6, "b": 2}) == {"a": 6, "b": 2}
    assert sampling.allocate(4, {"a": 6, "b": 2}) == {"a": 3, "b": 1}


@pytest.mark.parametrize("call", [
    lambda: sampling.cochran(1.2), lambda: sampling.cochran(e=0), lambda: sampling.cochran(p=2),
    lambda: sampling.yamane(0), lambda: sampling.to_send(10, 0), lambda: sampling.margin_of_error(10, 5),
    lambda: sampling.allocate(10, {"a": 0}),
])
def test_bad_inputs_are_value_errors(call):
    with pytest.raises(ValueError):
        call()


def test_docstring_examples():
    failures, tried = doctest.testmod(sampling)
    assert tried > 10 and failures == 0
