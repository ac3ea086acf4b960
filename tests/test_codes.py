"""The diagnostic-code registry: every code has a meaning, and quiet lists are checked."""

from __future__ import annotations

from glossary_build.codes import MEANINGS, Code, unknown_codes


def test_every_code_has_a_one_line_meaning() -> None:
    assert set(MEANINGS) == set(Code)
    assert all(meaning and "\n" not in meaning for meaning in MEANINGS.values())


def test_codes_are_spelled_as_users_write_them() -> None:
    assert all(code.value == code.value.lower() and " " not in code.value for code in Code)
    assert str(Code.MISSING_IMAGE) == "missing-image"


def test_unknown_codes_names_typos_and_non_strings() -> None:
    assert unknown_codes(["missing-image", "katex"]) == []
    assert unknown_codes(["missing-imgae", 3]) == ["missing-imgae", "3"]
    assert unknown_codes("katex") == ["'katex'"]
