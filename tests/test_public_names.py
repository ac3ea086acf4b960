"""Every module says what it offers: ``__all__`` lists its public names, each with a docstring.

A name without a leading underscore that a module defines is public: it is in ``__all__``, and
if it is a function or a class it says what it does (so do a public class's public methods).
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from .helpers import ROOT

PACKAGE = ROOT / "glossary_build"
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__main__.py")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _defined(tree: ast.Module) -> dict[str, ast.stmt]:
    """The public names the module itself binds at its top level, with their statements."""
    found: dict[str, ast.stmt] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found[node.name] = node
        elif isinstance(node, ast.Assign):
            found.update((t.id, node) for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            found[node.target.id] = node
    return {
        name: node
        for name, node in found.items()
        if not name.startswith("_") and not _is_type_variable_or_logger(node)
    }


def _is_type_variable_or_logger(node: ast.stmt) -> bool:
    """``T = TypeVar("T")`` and ``log = get_plugin_logger(...)``: names no other module uses."""
    value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
    if not isinstance(value, ast.Call):
        return False
    called = value.func.attr if isinstance(value.func, ast.Attribute) else value.func
    name = called if isinstance(called, str) else getattr(called, "id", "")
    return name in {"TypeVar", "getLogger", "get_plugin_logger"}


def _undocumented(name: str, node: ast.stmt) -> list[str]:
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return []
    missing = [] if ast.get_docstring(node) else [name]
    if isinstance(node, ast.ClassDef):
        missing += [
            f"{name}.{method.name}"
            for method in node.body
            if isinstance(method, ast.FunctionDef | ast.AsyncFunctionDef)
            and not method.name.startswith("_")
            and not ast.get_docstring(method)
        ]
    return missing


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(PACKAGE)) for p in MODULES])
def test_module_lists_and_documents_its_public_names(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = importlib.import_module(_module_name(path))
    assert ast.get_docstring(tree), f"{path.name} has no module docstring"
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{path.name} declares no __all__"
    assert len(set(exported)) == len(exported), "a name is listed twice"
    unbound = [name for name in exported if not hasattr(module, name)]
    assert not unbound, f"__all__ lists names the module does not have: {unbound}"
    defined = _defined(tree)
    unlisted = sorted(set(defined) - set(exported) - {"__all__"})
    assert not unlisted, f"public but not in __all__ (list them, or start them with _): {unlisted}"
    undocumented = [m for name, node in defined.items() for m in _undocumented(name, node)]
    assert not undocumented, f"no docstring: {undocumented}"
