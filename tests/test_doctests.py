"""The Examples in csi_core's docstrings are tests too: one test per module that has
examples (every sub-package searched); a module without any is not a test."""
import doctest
import importlib
import pkgutil

import pytest

import csi_core

NAMES = [m.name for m in pkgutil.walk_packages(csi_core.__path__, "csi_core.")] + ["ui.state", "ui.widgets"]


def examples(name: str) -> int:
    module = importlib.import_module(name)
    return sum(len(t.examples) for t in doctest.DocTestFinder().find(module) if t.name.startswith(name))


MODULES = [name for name in NAMES if examples(name)]


def test_the_examples_are_found_in_the_sub_packages():
    assert {"csi_core.method.grades", "csi_core.method.csi", "csi_core.reading.periods", "csi_core.i18n",
            "ui.state"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
