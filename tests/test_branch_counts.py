"""A branch's count arrays (issue 12): the same numbers as its questionnaires imported
alone into an empty store; the company's arrays as before (a branch is a view)."""
import math
import random

import numpy as np
import pytest

from csi_core.method import csi
from csi_core.store import ingest
from csi_core.store.db import Store
from tests.conftest import xlsx

HEADER = ["period", "segment", "customer", "branch", "competitor", "质量", "服务", "价格", "focus"]
LABELS = ["很满意", "满意", "一般", "不满意", "很不满意", None]
BRANCHES = [None, "北区分公司", "南区分公司"]


def survey(seed=7, n=60):
    """Rows of three branches over two periods, two segments, a few customers and a rival."""
    rng = random.Random(seed)
    rows = []
    for period in ("2026Q1", "2026Q2"):
        for k in range(n):
            branch = BRANCHES[k % 3]
            segment = "民用户" if k % 4 else "工商业户"
            customer = f"客户{k % 7}" if segment == "工商业户" or k % 5 == 0 else None
            answers = [rng.choice(LABELS[:5] if j == 0 else LABELS) for j in range(3)]
            focus = rng.choice(["A", "B", "A,C", None])
            rival = "华润燃气" if k % 11 == 0 else None
            rows.append([period, segment, customer, branch, rival, *answers, focus])
    return rows


def cut(rows, branch):
    return [r for r in rows if r[3] == branch]


def sent(branch):
    size = {None: 30, "北区分公司": 25, "南区分公司": 40}[branch]
    return {"sent": [["period", "segment", "sent"], ["2026Q1", "民用户", size], ["2026Q2", "民用户", size + 1],
                     ["2026Q1", "工商业户", 9], ["2026Q2", "工商业户", 8]]}


@pytest.fixture
def company(store):
    """The company store: each branch's workbook imported on its own (append by branch)."""
    rows = survey()
    for k, branch in enumerate(BRANCHES):
        done = ingest.ingest(store, xlsx([HEADER] + cut(rows, branch), extra=sent(branch)), f"b{k}.xlsx")
        assert done.ok and not done.conflicts, (done.problems, done.conflicts)
    return store, rows


def alone(rows, branch):
    s = Store.open(":memory:")
    assert ingest.ingest(s, xlsx([HEADER] + cut(rows, branch), extra=sent(branch)), "alone.xlsx").ok
    return s


@pytest.mark.parametrize("branch", BRANCHES)
def test_a_branch_has_exactly_the_numbers_of_its_rows_imported_alone(company, branch):
    store, rows = company
    got = store.counts(branch or "")
    ref_store = alone(rows, branch)
    try:
        ref = ref_store.counts()
        assert got.branch == (branch or "") and ref.branch is None
        assert got.periods == ref.periods and got.segments == ref.segments and got.items == ref.items
        for name in ("answers", "ticks", "returned", "valid", "in_period", "sent", "sent_segment"):
            np.testing.assert_array_equal(getattr(got, name), getattr(ref, name), err_msg=name)
        assert got.customers.names == ref.customers.names
        for name in ("segment", "p", "c", "i", "counts"):
            np.testing.assert_array_equal(getattr(got.customers, name), getattr(ref.customers, name), err_msg=name)
        for p in range(len(ref.periods)):
            assert got.customers.valid_in(p) == ref.customers.valid_in(p)
        np.testing.assert_array_equal(got.cross.known, ref.cross.known)
        for name in ("aa", "xa", "xx"):
            np.testing.assert_allclose(getattr(got.cross, name), getattr(ref.cross, name), err_msg=name)
        r1, r2 = csi.compute(got), csi.compute(ref)
        assert r1.total.tolist() == r2.total.tolist()
        assert not any(math.isnan(v) for v in r1.total)
        q1, q2 = store.questionnaires(got, "2026Q2"), ref_store.questionnaires(ref, "2026Q2")
        np.testing.assert_array_equal(q1.codes, q2.codes)
        np.testing.assert_array_equal(q1.customer, q2.customer)
    finally:
        ref_store.close()


def test_the_company_is_all_branches_together_and_weighted_as_before(company):
    store, rows = company
    whole = store.counts()
    assert whole.branch is None
    everything = Store.open(":memory:")
    try:
        assert ingest.ingest(everything, xlsx([HEADER] + rows), "all.xlsx").ok
        ref = everything.counts()
        np.testing.assert_array_equal(whole.answers, ref.answers)
        np.testing.assert_array_equal(whole.valid, ref.valid)
        assert csi.compute(whole).total.tolist() == pytest.approx(csi.compute(ref).total.tolist(), abs=1e-12)
    finally:
        everything.close()
    parts = sum(store.counts(b).valid.sum() for b in store.branch_names())
    assert parts == whole.valid.sum()
    assert store.branch_names() == ["", "北区分公司", "南区分公司"]


def test_a_workbook_of_several_branches_leaves_their_response_rate_unknown(store):
    rows = survey()
    assert ingest.ingest(store, xlsx([HEADER] + rows, extra=sent(None)), "all.xlsx").ok
    north = store.counts("北区分公司")
    assert np.isnan(north.sent).all() and np.isnan(north.sent_segment).all()
    assert not np.isnan(store.counts().sent).any()


def test_a_branch_name_is_a_parameter_never_sql(company):
    store, _ = company
    odd = store.counts("x' OR 1=1 --")
    assert odd.empty and store.counts().valid.sum() > 0
