"""A held-back query set for the search benchmark (benchmarks/heldback_queries.tsv).

Usage: .venv/bin/python benchmarks/heldback_queries.py [--seed 7] [--root DIR] [--out FILE]

The tuned set (tests/search_queries.tsv) is what the search was tuned against; this set is
drawn by a seeded generator from the concept pages of the real build
(glossary_build.pipeline.build), only from concepts whose title is no expected_title of the
tuned set, so no query here was seen while tuning. Each kind takes up to ROWS_PER_KIND
concepts, in an order shuffled by ``random.Random(f"{seed}:{kind}")``, one row per concept:

- zh-full: a title of >= 2 Han characters only, as written.
- zh-part: a leading part of a Han-only title of >= 4 characters: its length drawn from
  2 .. len - 1, and the part is no other concept's title.
- en: an ASCII title or alias with a lower-case letter or longer than 6 characters (so not an
  abbreviation), lower-cased.
- abbr: an alias or title of 2–6 upper-case letters (A–Z only), as written.
- pinyin: the pypinyin ``lazy_pinyin`` of a Han-only title of >= 2 characters, joined
  without spaces.
- pinyin-initials: the first letters of that pinyin.
- mixed: a piece of a title or alias (names split at spaces and punctuation) that holds a
  Latin letter and a Han character with no space between them, as written (``Adam优化器``).
- typo: one edit of a lower-cased ASCII-letters-only name of >= 5 letters: a deletion, a
  substitution by a neighbouring QWERTY key, or a swap of two adjacent different letters
  (edit and place drawn by the generator; redrawn up to 20 times if the result is a name).
- body: benchmarks/body_phrases.py's candidates of the same build, drawn with seed 2
  (BODY_ROWS of them), phrases already in the tuned set dropped.

A row is skipped when its query (case-folded) is a name of another concept, is a query of
the tuned set, or is already a query of this set. The rows are the kinds in the order of
KINDS; the same notes and seed give the same file (tests/test_heldback_queries.py checks it).
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from pypinyin import lazy_pinyin

from glossary_build.pipeline import BuildConfig, build
from glossary_build.types import BuildResult

ROOT = Path(__file__).resolve().parent.parent
TUNED = ROOT / "tests" / "search_queries.tsv"
OUT = ROOT / "benchmarks" / "heldback_queries.tsv"
HEADER = "query\texpected_title\tkind"
KINDS = ("zh-full", "zh-part", "en", "abbr", "pinyin", "pinyin-initials", "mixed", "typo", "body")
ROWS_PER_KIND = 15
BODY_ROWS = 60
BODY_SEED = 2
TYPO_TRIES = 20

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_ONLY_RE = re.compile(f"[{HAN}]+")
HAN_RE = re.compile(f"[{HAN}]")
ABBR_RE = re.compile(r"[A-Z]{2,6}")
LATIN_RE = re.compile(r"[A-Za-z]")
LETTERS_RE = re.compile(r"[a-z]{5,}")
PIECE_RE = re.compile(rf"[A-Za-z0-9{HAN}]+")

_KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _neighbours() -> dict[str, str]:
    """Each letter → the letters next to it on a QWERTY keyboard (same row and the rows
    above and below, one column either side)."""
    result: dict[str, str] = {}
    for r, row in enumerate(_KEY_ROWS):
        for c, key in enumerate(row):
            near = []
            for other_r in (r - 1, r, r + 1):
                if not 0 <= other_r < len(_KEY_ROWS):
                    continue
                other = _KEY_ROWS[other_r]
                for other_c in (c - 1, c, c + 1):
                    if 0 <= other_c < len(other) and (other_r, other_c) != (r, c):
                        near.append(other[other_c])
            result[key] = "".join(near)
    return result


NEIGHBOURS = _neighbours()


@dataclass(frozen=True, slots=True)
class Concept:
    title: str
    names: tuple[str, ...]
    """The title and aliases."""


@dataclass(frozen=True, slots=True)
class Row:
    query: str
    title: str
    kind: str

    def line(self) -> str:
        return f"{self.query}\t{self.title}\t{self.kind}"


@dataclass(frozen=True, slots=True)
class Tuned:
    titles: frozenset[str]
    queries: frozenset[str]
    """Case-folded."""


def read_tuned(path: Path = TUNED) -> Tuned:
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    fields = [line.split("\t") for line in lines if line]
    return Tuned(frozenset(f[1] for f in fields), frozenset(f[0].casefold() for f in fields))


def concepts_of(result: BuildResult) -> list[Concept]:
    return [Concept(e.title, (e.title, *e.aliases)) for e in result.entries]


def _han_title(concept: Concept) -> str | None:
    return concept.title if HAN_ONLY_RE.fullmatch(concept.title) else None


def _pinyin(title: str) -> list[str]:
    return [s.lower() for s in lazy_pinyin(title)]


# Each names kind: (concept, generator, every concept title) → the candidate queries, sorted.
Candidates = Callable[[Concept, random.Random, frozenset[str]], list[str]]


def zh_full(concept: Concept, rng: random.Random, titles: frozenset[str]) -> list[str]:
    title = _han_title(concept)
    return [title] if title and len(title) >= 2 else []


def zh_part(concept: Concept, rng: random.Random, titles: frozenset[str]) -> list[str]:
    title = _han_title(concept)
    if title is None or len(title) < 4:
        return []
    part = title[: rng.randint(2, len(title) - 1)]
    return [] if part in titles else [part]


def en(concept: Concept, rng: random.Random, titles: frozenset[str]) -> list[str]:
    found = {
        n.lower()
        for n in concept.names
        if n.isascii() and LATIN_RE.search(n) and (len(n) > 6 or n != n.upper())
    }
    return sorted(found)


def abbr(concept: Concept, rng: random.Random, titles: frozenset[str]) -> list[str]:
    return sorted({n for n in concept.names if ABBR_RE.fullmatch(n)})


def pinyin(concept: Concept, rng: random.Random, titles: frozenset[str]) -> list[str]:
    title = _han_title(concept)
    return ["".join(_pinyin(title))] if title and len(title) >= 2 else []


def pinyin_initials(concept: Concept, rng: random.Random, titles: frozenset[str]) -> list[str]:
    title = _han_title(concept)
    return ["".join(s[0] for s in _pinyin(title))] if title and len(title) >= 2 else []


def mixed(concept: Concept, rng: random.Random, titles: frozenset[str]) -> list[str]:
    pieces = {
        piece
        for name in concept.names
        for piece in PIECE_RE.findall(name)
        if LATIN_RE.search(piece) and HAN_RE.search(piece)
    }
    return sorted(pieces)


def typo_of(word: str, rng: random.Random) -> str:
    """One edit of a lower-case word: deletion, neighbouring-key substitution or swap."""
    edit = rng.choice(("delete", "substitute", "swap"))
    if edit == "delete":
        at = rng.randrange(len(word))
        return word[:at] + word[at + 1 :]
    if edit == "substitute":
        at = rng.randrange(len(word))
        return word[:at] + rng.choice(NEIGHBOURS[word[at]]) + word[at + 1 :]
    places = [i for i in range(len(word) - 1) if word[i] != word[i + 1]]
    at = rng.choice(places)
    return word[:at] + word[at + 1] + word[at] + word[at + 2 :]


def typo_sources(concept: Concept) -> list[str]:
    return sorted({n.lower() for n in concept.names if LETTERS_RE.fullmatch(n.lower())})


NAME_KINDS: dict[str, Candidates] = {
    "zh-full": zh_full,
    "zh-part": zh_part,
    "en": en,
    "abbr": abbr,
    "pinyin": pinyin,
    "pinyin-initials": pinyin_initials,
    "mixed": mixed,
}


class _Taken:
    """The queries a row may not have: other concepts' names, tuned and earlier queries."""

    def __init__(self, concepts: Sequence[Concept], tuned: Tuned) -> None:
        self._owners: dict[str, set[str]] = {}
        for concept in concepts:
            for name in concept.names:
                self._owners.setdefault(name.casefold(), set()).add(concept.title)
        self._used = set(tuned.queries)

    def is_name(self, query: str) -> bool:
        return query.casefold() in self._owners

    def allowed(self, query: str, title: str) -> bool:
        key = query.casefold()
        return key not in self._used and self._owners.get(key, {title}) <= {title}

    def take(self, query: str) -> None:
        self._used.add(query.casefold())


def _shuffled(concepts: Sequence[Concept], rng: random.Random) -> list[Concept]:
    order = sorted(concepts, key=lambda c: c.title)
    rng.shuffle(order)
    return order


def name_rows(
    kind: str, concepts: Sequence[Concept], taken: _Taken, seed: int, titles: frozenset[str]
) -> list[Row]:
    rng = random.Random(f"{seed}:{kind}")
    rows: list[Row] = []
    for concept in _shuffled(concepts, rng):
        if len(rows) == ROWS_PER_KIND:
            break
        found = [
            q for q in NAME_KINDS[kind](concept, rng, titles) if taken.allowed(q, concept.title)
        ]
        if found:
            query = rng.choice(found)
            taken.take(query)
            rows.append(Row(query, concept.title, kind))
    return rows


def typo_rows(concepts: Sequence[Concept], taken: _Taken, seed: int) -> list[Row]:
    rng = random.Random(f"{seed}:typo")
    rows: list[Row] = []
    for concept in _shuffled(concepts, rng):
        if len(rows) == ROWS_PER_KIND:
            break
        sources = typo_sources(concept)
        if not sources:
            continue
        word = rng.choice(sources)
        for _ in range(TYPO_TRIES):
            query = typo_of(word, rng)
            if query != word and not taken.is_name(query) and taken.allowed(query, concept.title):
                taken.take(query)
                rows.append(Row(query, concept.title, "typo"))
                break
    return rows


def _body_module() -> ModuleType:
    path = ROOT / "benchmarks" / "body_phrases.py"
    spec = importlib.util.spec_from_file_location("benchmarks_body_phrases", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def body_rows(result: BuildResult, keep: frozenset[str], taken: _Taken) -> list[Row]:
    """body_phrases' draw (seed 2) over the held-back concepts, tuned phrases dropped."""
    body = _body_module()
    found = body.candidates(body.texts_of(result), body._tokenizer())
    held = {title: phrases for title, phrases in found.items() if title in keep}
    rows: list[Row] = []
    for phrase in body.draw(held, len(held), BODY_SEED):
        if len(rows) == BODY_ROWS:
            break
        if taken.allowed(phrase.query, phrase.title) and not taken.is_name(phrase.query):
            taken.take(phrase.query)
            rows.append(Row(phrase.query, phrase.title, "body"))
    return rows


def heldback_rows(result: BuildResult, seed: int = 7, tuned: Tuned | None = None) -> list[Row]:
    tuned = tuned or read_tuned()
    every = concepts_of(result)
    concepts = [c for c in every if c.title not in tuned.titles]
    titles = frozenset(c.title for c in every)
    taken = _Taken(every, tuned)
    rows: list[Row] = []
    for kind in KINDS:
        if kind in NAME_KINDS:
            rows += name_rows(kind, concepts, taken, seed, titles)
        elif kind == "typo":
            rows += typo_rows(concepts, taken, seed)
        else:
            rows += body_rows(result, frozenset(c.title for c in concepts), taken)
    return rows


def render(rows: Iterable[Row]) -> str:
    return "".join(line + "\n" for line in (HEADER, *(r.line() for r in rows)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the project (its concepts/)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    result = build(BuildConfig(root=args.root, url_map=Path("glossary-urls.json")))
    rows = heldback_rows(result, args.seed)
    args.out.write_text(render(rows), encoding="utf-8")
    for kind in KINDS:
        print(f"{kind}: {sum(r.kind == kind for r in rows)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
