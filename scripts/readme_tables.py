"""Print README's two generated tables: the diagnostic codes and the module table.

Both come from the code, so README and code say the same: the codes and their meanings from
``glossary_build.codes``, each module's job from the first paragraph of its docstring.
``tests/test_readme.py`` fails when README's tables no longer match (line counts aside, which
drift with every edit). Usage: ``.venv/bin/python scripts/readme_tables.py codes|modules``,
then paste the output over the table in README.md.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "glossary_build"

__all__ = ["codes_table", "module_rows", "modules_table"]


def _job(path: Path) -> str:
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    return docstring.strip().split("\n\n")[0].replace("\n", " ").replace("|", "\\|")


def _lines(paths: list[Path]) -> int:
    return sum(path.read_text(encoding="utf-8").count("\n") for path in paths)


def module_rows() -> list[tuple[str, str, int]]:
    """(module, job, lines): a top-level module, or a package with its modules named."""
    rows = []
    for path in sorted(PACKAGE.iterdir()):
        if path.suffix == ".py" and path.name != "__main__.py":
            rows.append((f"`{path.name}`", _job(path), _lines([path])))
        elif (path / "__init__.py").is_file():
            modules = sorted(path.glob("*.py"))
            parts = ", ".join(m.stem for m in modules if m.name != "__init__.py")
            rows.append((f"`{path.name}/` ({parts})", _job(path / "__init__.py"), _lines(modules)))
    return rows


def modules_table() -> str:
    """README's module table: module → job → lines."""
    rows = ["| module | job | lines |", "|---|---|---|"]
    rows += [f"| {name} | {job} | {count} |" for name, job, count in module_rows()]
    return "\n".join(rows)


def codes_table(per_row: int = 3) -> str:
    """README's table of diagnostic codes, ``per_row`` to a row to keep README short."""
    sys.path.insert(0, str(ROOT))
    from glossary_build.codes import MEANINGS

    cells = [f"`{code}` | {meaning}" for code, meaning in MEANINGS.items()]
    cells += [" | "] * (-len(cells) % per_row)
    rows = ["| code | meaning " * per_row + "|", "|---|---" * per_row + "|"]
    rows += [
        "| " + " | ".join(cells[start : start + per_row]) + " |"
        for start in range(0, len(cells), per_row)
    ]
    return "\n".join(rows)


if __name__ == "__main__":
    print({"codes": codes_table, "modules": modules_table}[sys.argv[1]]())
