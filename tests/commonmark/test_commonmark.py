"""Acceptance: the CommonMark 0.31.2 spec's heading-free examples, one concept each.

See harness.py. Every example keeps its page; code (fences, code spans, indented code) shows
what Python-Markdown shows; the visible text of a concept's body is Python-Markdown's own, but
where a difference is intended (listed below with its reason) or a known open defect (listed).
"""

from __future__ import annotations

import re

import pytest

from .harness import Outcome, outcomes

# Differences by design: the site does not show what Markdown would pass through.
_IMAGE_RE = re.compile(r"!\[(?!CDATA\[)|<img\b")

INTENDED = {
    "a local image that is not beside the notes is a visible placeholder": lambda o: (
        _IMAGE_RE.search(o.example.markdown) is not None
    ),
    "raw HTML is sanitized (allowlist; other tags escaped or removed, comments removed)": lambda o: (
        re.search(r"<[A-Za-z/!?]", o.example.markdown) is not None
    ),
    "`$…$` is a formula on this site": lambda o: o.example.markdown.count("$") >= 2,
}

# Known differences not fixed yet (issue 12), each with its reason; the test fails if one is
# fixed (remove it here) or a new one appears.
KNOWN_OPEN = {
    494: "`[a](<b)c>`: the link-target scanner drops text (helper attrs: link targets)",
    526: "`<https://…` inside link text is taken for an autolink",
    538: "`<https://…` inside link text is taken for an autolink",
    598: "`<a+b+c:d>`: shown as its URL (Python-Markdown passes it on as a tag)",
    601: "`<localhost:5001/foo>`: shown as its URL (Python-Markdown passes it on as a tag)",
    602: "`<https://… bim>`: a blank in it; escaped (where it is no link it would be a tag)",
    609: "`<m:abc>`: no autolink (a one-letter scheme); escaped where Markdown passes a tag",
    610: "`<foo.bar.baz>`: no autolink; escaped where Markdown passes a tag",
}


def _reason(outcome: Outcome) -> str | None:
    for reason, applies in INTENDED.items():
        if applies(outcome):
            return reason
    return None


@pytest.fixture(scope="module")
def found() -> list[Outcome]:
    return outcomes()


def test_every_example_is_a_concept_of_its_own(found: list[Outcome]) -> None:
    assert len(found) > 600
    assert [o.example.number for o in found if not o.page] == []


def test_visible_text_is_python_markdowns_in_most_examples(found: list[Outcome]) -> None:
    equal = sum(o.equal for o in found)
    assert equal / len(found) >= 0.935, f"{equal}/{len(found)}"


def test_every_difference_is_intended_or_known(found: list[Outcome]) -> None:
    unexplained = [
        o.example.number
        for o in found
        if not o.equal and o.example.number not in KNOWN_OPEN and _reason(o) is None
    ]
    assert unexplained == []
    fixed = [
        o.example.number
        for o in found
        if o.equal and o.expected_code == o.got_code and o.example.number in KNOWN_OPEN
    ]
    assert fixed == [], "fixed: remove them from KNOWN_OPEN"


def test_code_shows_what_markdown_shows(found: list[Outcome]) -> None:
    changed = [
        o.example.number
        for o in found
        if o.expected_code != o.got_code
        and o.example.number not in KNOWN_OPEN
        and _reason(o) is None
    ]
    assert changed == []
