"""The extension stays readable: no module over 400 lines, no function over 60 (ruff's C90
keeps each function's branches in check; this keeps its length)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

EXTENSION = Path(__file__).resolve().parents[2] / "docs" / "_ext"
MODULES = sorted(EXTENSION.rglob("*.py"))
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
# ldn_guide.setup() is the pipeline: one import and one app.connect line per handler, in
# order, which reads best as one list (the package's docstring explains its stages).
LONGER = {"setup": 90}


def too_long(source: str) -> list[str]:
    """``name (N lines)`` for each function longer than MAX_FUNCTION_LINES."""
    return [f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.end_lineno - node.lineno + 1 > LONGER.get(node.name, MAX_FUNCTION_LINES)]


@pytest.mark.parametrize("module", MODULES, ids=lambda path: str(path.relative_to(EXTENSION)))
def test_module_and_function_sizes(module):
    source = module.read_text(encoding="utf-8")
    assert source.count("\n") <= MAX_MODULE_LINES, f"{module.name}: split it along a seam"
    assert too_long(source) == []


def test_a_long_function_is_caught():
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    assert too_long(f"def long():\n{body}\n") == [f"long ({MAX_FUNCTION_LINES + 1} lines)"]
