"""Shared by the tests: the scripts in tools/ imported as modules (tools/ is no package)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

TOOLS = Path(__file__).resolve().parent.parent / "tools"


def load_tool(name: str) -> ModuleType:
    """``tools/<name>.py`` as the module ``name``, loaded once per test process.

    It is registered in ``sys.modules`` before it runs: dataclasses look their module up
    there, and a tool another tool imports (make_edition imports answer_checks) is then
    the same module object for both.
    """
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, TOOLS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load_test_module(relative: str) -> ModuleType:
    """``tests/<relative>`` (e.g. ``explorers/test_sigmoid.py``) as a module, loaded once.

    The built-book test reuses the explorers' own tests' engine expectations this way;
    their folder joins ``sys.path`` first, as pytest puts it there for them (they import
    their harness by name).
    """
    path = Path(__file__).resolve().parent / relative
    name = "tests_" + path.stem
    if name in sys.modules:
        return sys.modules[name]
    if str(path.parent) not in sys.path:
        sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
