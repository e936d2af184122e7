"""The Examples in csi_core's docstrings are tests too."""
import doctest
import importlib
import pkgutil

import pytest

import csi_core

MODULES = [f"csi_core.{m.name}" for m in pkgutil.iter_modules(csi_core.__path__) if m.name != "__main__"]
MODULES += ["csi_core.__main__", "ui.state", "ui.widgets"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
