"""The hostile corpus (issue 10): every file is refused with a human sentence naming
what is wrong, in both languages, or read correctly; the process survives them all."""
from __future__ import annotations

import re

import pytest

from csi_core.store.ingest import validate_bytes
from tests.hostile.cases import CASES, Case

LIBRARY_WORDS = re.compile(r"calamine|fastexcel|Traceback|IndexError|KeyError|Error\(|XlsxError|Cannot detect|"
                           r"internal error|BadZipFile|zlib", re.I)
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 60
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_file(case: Case):
    outcome = validate_bytes(case.make(), "hostile.xlsx", limits=case.limits)
    if case.expect == "read":
        assert outcome.report is not None, [p.message("en") for p in outcome.problems]
        assert outcome.report.rows_read == case.rows and outcome.report.ok, outcome.messages("en")
        assert outcome.report.sheet == case.sheet
        return
    problems = list(outcome.problems) or list(outcome.report.problems)
    assert problems, "refused without a reason"
    assert problems[0].code in case.expect, [p.message("en") for p in problems]
    for lang in ("en", "zh"):
        for p in problems:
            text = p.message(lang, "hostile.xlsx")
            assert not LIBRARY_WORDS.search(text.split("reader reports:")[0].split("读取器报告")[0]), text
            assert len(p.reason(lang)) > 4 and "problem." not in text, text
            assert CJK.search(p.reason("zh")) and p.reason("en") != p.reason("zh"), text
    if case.where:
        assert (problems[0].row, problems[0].column) == case.where, problems[0].message("en")
