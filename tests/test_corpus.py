"""The real notes: imported unchanged, and every line of them reaches a page."""

from __future__ import annotations

import hashlib
import json

import pytest

from glossary_build.pipeline import BuildConfig, build
from glossary_build.types import BuildResult

from .helpers import CONCEPTS, CORPUS, ROOT, SEEDS
from .text_oracle import expected_pieces, lost_text


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


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_no_text_lost(name: str, corpus_build: BuildResult) -> None:
    text = (CONCEPTS / name).read_text(encoding="utf-8")
    assert len(expected_pieces(text)) > 50
    lost = lost_text(corpus_build.pages.values(), {f"concepts/{name}": text})
    assert not lost, "text lost:\n" + "\n".join(lost[:20])


def test_every_page_is_unique_and_nonempty(corpus_build: BuildResult) -> None:
    assert all(content.strip() for content in corpus_build.pages.values())
    digest = {hashlib.sha256(c.encode()).hexdigest() for c in corpus_build.pages.values()}
    assert len(digest) == len(corpus_build.pages)
