"""The Examples in csi_core's docstrings are tests too."""
import doctest
import importlib
import pkgutil

import pytest

import csi_core

MODULES = [m.name for m in pkgutil.walk_packages(csi_core.__path__, "csi_core.") if m.name != "csi_core.__main__"]
MODULES += ["csi_core.__main__", "ui.state", "ui.widgets"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
