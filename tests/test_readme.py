"""README's generated tables match the code: every diagnostic code, every module and its job."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import readme_tables  # noqa: E402 - a script, not a package

README = (ROOT / "README.md").read_text(encoding="utf-8")
FIX = "run `.venv/bin/python scripts/readme_tables.py {}` and paste its table into README.md"


def test_readme_lists_every_diagnostic_code_with_its_meaning() -> None:
    assert readme_tables.codes_table() in README, FIX.format("codes")


def test_readme_module_table_names_every_module_and_its_job() -> None:
    shown = re.findall(r"^\| (`[^|]+) \| ((?:\\\||[^|])*) \| \d+ \|$", README, re.MULTILINE)
    expected = [(name, job) for name, job, _ in readme_tables.module_rows()]
    assert shown == expected, FIX.format("modules")
