"""The real notes: imported unchanged, and every line of them reaches a page."""

from __future__ import annotations

import hashlib
import html
import json
import re

import pytest

from glossary_build.markdown_syntax import (
    FENCE_LIKE_RE,
    HEADING_RE,
    HTML_IMAGE_RE,
    MARKDOWN_IMAGE_RE,
    fenced_lines,
)
from glossary_build.normalize.attributes import ATTRIBUTE_LINE_RE
from glossary_build.pipeline import BuildConfig, build
from glossary_build.text import unescape_markdown
from glossary_build.types import BuildResult, Line

from .helpers import CONCEPTS, CORPUS, ROOT, SEEDS


def test_concepts_holds_exactly_the_five_notes() -> None:
    assert sorted(p.name for p in CONCEPTS.iterdir()) == sorted(CORPUS)


SEED_DIGESTS = json.loads((ROOT / "tests" / "seed_digests.json").read_text(encoding="utf-8"))
"""SHA-256 of each of the author's original notes (../shared/seeds), committed so that the
identity check runs in any clone."""


@pytest.mark.parametrize(("name", "seed"), sorted(CORPUS.items()))
def test_note_is_byte_identical_to_its_seed(name: str, seed: str) -> None:
    digest = hashlib.sha256((CONCEPTS / name).read_bytes()).hexdigest()
    assert digest == SEED_DIGESTS[seed], (
        f"concepts/{name} differs from the author's note {seed}; never edit the notes"
    )


@pytest.mark.parametrize("seed", sorted(CORPUS.values()))
def test_the_committed_digests_are_the_seeds_where_they_are_at_hand(seed: str) -> None:
    """Where the originals are checked out beside the repository, the digests are theirs."""
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} is not here: the committed digests are checked against the notes")
    assert hashlib.sha256((SEEDS / seed).read_bytes()).hexdigest() == SEED_DIGESTS[seed]


@pytest.fixture(scope="module")
def corpus_build() -> BuildResult:
    return build(BuildConfig(ROOT))


_IMAGE_RE = re.compile(f"(?:{MARKDOWN_IMAGE_RE.pattern})|(?:{HTML_IMAGE_RE.pattern})", re.I)
_ALT_SRC_RE = re.compile(r'alt="([^"]*)"|src="([^"]*)"|!\[([^\]]*)\]\(([^)]*)\)')


def _image_alt_and_src(markup: str) -> list[str]:
    return [group for m in _ALT_SRC_RE.finditer(markup) for group in m.groups() if group]


_QUOTE_PREFIX_RE = re.compile(r"^[ \t]*(?:>[ \t]?)+")
_HEADING_WORD_SPLIT_RE = re.compile(r"[\s()（）,，、/`*]+|\{[^}]*\}")


def _expected_pieces(lines: list[Line]) -> list[tuple[int, str]]:
    """Every non-blank line's text, minus the markup the build consumes on purpose."""
    in_front_matter = bool(lines) and lines[0].text == "---"
    fenced = fenced_lines(lines)
    pieces: list[tuple[int, str]] = []
    for index, line in enumerate(lines):
        text = line.text
        if in_front_matter:
            if index > 0 and text in ("---", "..."):
                in_front_matter = False
            continue
        if not text.strip() or ATTRIBUTE_LINE_RE.match(text) or FENCE_LIKE_RE.match(text):
            continue
        heading = HEADING_RE.match(text) if line.number not in fenced else None
        if heading:
            words = _HEADING_WORD_SPLIT_RE.split(heading[2])
            pieces.extend((line.number, w) for w in words if w.strip())
            continue
        if line.number not in fenced:
            text = _QUOTE_PREFIX_RE.sub("", text)
        # A missing image becomes a placeholder that shows its alt text and path.
        images = [*MARKDOWN_IMAGE_RE.finditer(text), *HTML_IMAGE_RE.finditer(text)]
        for image in images:
            pieces.extend((line.number, v) for v in _image_alt_and_src(image[0]) if v)
        for part in _IMAGE_RE.split(text):
            if part and part.strip():
                pieces.append((line.number, part.strip()))
    return pieces


_MATH_MARKUP_RE = re.compile(r"KaTeX:|\\displaystyle |[$`]")
_SPACES_RE = re.compile(r"\s+")


def _canonical(text: str) -> str:
    """Math delimiters differ on purpose (four notations in, one out) and TeX is trimmed, so
    compare without delimiters and whitespace."""
    return _SPACES_RE.sub("", _MATH_MARKUP_RE.sub("", text))


# The cross-links the build adds: [张量](tensor.md) shows the author's 张量.
_CROSS_LINK_RE = re.compile(r"(?<!\\)\[([^\[\]]*)\]\([a-z0-9-]+\.md\)")
# A bare URL made a link (normalize.link_bare_urls) shows the URL, written as references.
_URL_LINK_RE = re.compile(r'<a href="https?://[^"<>]*">(https?:[^<>]*)</a>')


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_no_text_lost(name: str, corpus_build: BuildResult) -> None:
    emitted = _CROSS_LINK_RE.sub(r"\1", "\n".join(corpus_build.pages.values()))
    emitted = _URL_LINK_RE.sub(lambda m: html.unescape(m[1]), emitted)
    emitted_plain = _canonical(unescape_markdown(emitted))
    text = (CONCEPTS / name).read_text(encoding="utf-8")
    lines = [Line(i + 1, t) for i, t in enumerate(text.split("\n"))]
    pieces = _expected_pieces(lines)
    assert len(pieces) > 50
    lost = [
        f"concepts/{name}:{number}: {piece}"
        for number, piece in pieces
        if piece not in emitted and _canonical(piece) not in emitted_plain
    ]
    assert not lost, "text lost:\n" + "\n".join(lost[:20])


def test_every_page_is_unique_and_nonempty(corpus_build: BuildResult) -> None:
    assert all(content.strip() for content in corpus_build.pages.values())
    digest = {hashlib.sha256(c.encode()).hexdigest() for c in corpus_build.pages.values()}
    assert len(digest) == len(corpus_build.pages)
