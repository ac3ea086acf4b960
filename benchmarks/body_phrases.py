"""Body-phrase queries drawn from the real notes, for tests/search_queries.tsv (kind `body`).

Usage: .venv/bin/python benchmarks/body_phrases.py [--count 100] [--seed 1] [--root DIR]

Builds the pipeline's pages (glossary_build.pipeline) and renders each concept page's Markdown
with the site's Markdown extensions (formulas stubbed), then reads the text a reader sees in
the page's body: the title, the facts box (aliases, group), the source line and the
"referenced by" list are left out, and so are code, formulas, images and URLs (each one
breaks the text, so no phrase spans it). The text is segmented with jieba (its own
dictionary and part-of-speech tags, no HMM, so the words do not depend on the site's search
settings).

A phrase is 2–3 adjacent words (Latin words may be separated by one space) that occurs, as
that exact string (case-insensitively), on exactly one concept page. A phrase is skipped
when a word is shorter than 2 characters or only digits; when a word at either end is not a
noun, verb, adjective or Latin word (jieba's tags) or is a function word (可以, 进行, with, …);
when it holds or is held by one of the page's own names (that would be a name query); when it
is Latin only and shorter than 5 characters; or when more than a third of its characters are
digits or punctuation. One
phrase is drawn per page: pages in an order shuffled by ``random.Random(seed)``, each page's
candidates sorted, one chosen by the same generator. The same notes, count and seed give the
same rows.

Writes `query<TAB>expected_title<TAB>body` rows (no header) to stdout or --out.
"""

from __future__ import annotations

import argparse
import html
import html.parser
import itertools
import logging
import random
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import jieba
import jieba.posseg
import markdown

from glossary_build.katex import Rendered
from glossary_build.pipeline import BuildConfig, build
from glossary_build.types import BuildResult

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.helpers import site_markdown  # noqa: E402

KIND = "body"

# Function words that make a phrase no one would search for when they open or close it.
_EDGE_WORDS = """
可以 一个 一种 这个 这些 那些 那个 我们 你们 他们 它们 进行 通过 如果 因为 所以 但是 然后
以及 或者 并且 而且 其中 非常 就是 还是 只是 也是 不是 没有 什么 怎么 如何 为什么 这样 那样
这种 那种 一些 很多 比如 例如 所有 每个 可能 需要 使用 已经 一样 之间 对于 关于 由于 以便
之后 之前 以后 以前 时候 the a an of to in on for and or is are be by with as at it this that from
"""
EDGE_STOPWORDS = frozenset(_EDGE_WORDS.split())

# Part-of-speech tags (jieba's) of the words a phrase may open and close with: nouns, verbs,
# adjectives, Latin words, idioms and abbreviations; not adverbs, pronouns, numerals, particles.
CONTENT_FLAGS = ("n", "v", "a", "eng", "l", "i", "j")

# Elements whose text a reader does not read as prose (or that the phrases must not span).
SKIP_TAGS = frozenset({"pre", "code", "script", "style", "math", "svg", "h1"})
# Elements that end a run of text: a phrase never crosses them.
BREAK_TAGS = frozenset(
    {"p", "li", "ul", "ol", "div", "br", "h2", "h3", "h4", "h5", "h6", "td", "th", "tr"}
    | {"table", "blockquote", "details", "summary", "dt", "dd", "hr", "img", "section"}
)
# Classes of the generated parts that are navigation, not the concept's text.
SKIP_CLASSES = frozenset({"gb-facts", "gb-source", "gb-backlinks", "katex", "gb-math-stub"})
VOID_TAGS = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr", "col", "area"})

URL_RE = re.compile(r"(?:https?|ftp)://\S+|www\.\S+|\S+@\S+\.\w+", re.IGNORECASE)
HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
WORD_RE = re.compile(r"[^\W_]+")  # a token of letters/digits only (Han included)


@dataclass(frozen=True, slots=True)
class ConceptText:
    title: str
    names: tuple[str, ...]
    """The title and aliases."""
    runs: tuple[str, ...]
    """The body text a reader sees, cut at every block, code, formula and URL."""


@dataclass(frozen=True, slots=True)
class Phrase:
    query: str
    title: str

    def row(self) -> str:
        return f"{self.query}\t{self.title}\t{KIND}"


class _TextRuns(html.parser.HTMLParser):
    """Collects the prose of rendered HTML in runs, skipping the elements above."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.runs: list[str] = []
        self._current: list[str] = []
        self._stack: list[bool] = []  # per open element: does it hide its text?

    def _break(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self.runs.append(text)
        self._current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = set()
        for name, value in attrs:
            if name == "class" and value:
                classes.update(value.split())
        hidden = (
            tag in SKIP_TAGS
            or bool(classes & SKIP_CLASSES)
            or "data-search-exclude" in {name for name, _ in attrs}
        )
        if tag in BREAK_TAGS or hidden:
            self._break()
        if tag not in VOID_TAGS:
            self._stack.append(hidden)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_TAGS:
            return
        if self._stack:
            hidden = self._stack.pop()
            if tag in BREAK_TAGS or hidden:
                self._break()

    def handle_data(self, data: str) -> None:
        if any(self._stack):
            return
        # A URL in prose breaks the text like code does.
        pieces = URL_RE.split(data)
        for i, piece in enumerate(pieces):
            if i:
                self._break()
            self._current.append(piece)

    def close(self) -> None:
        super().close()
        self._break()


def _stub_math(tex: str, display: bool) -> Rendered:
    return Rendered(f'<span class="gb-math-stub">{html.escape(tex)}</span>')


def _markdown() -> markdown.Markdown:
    return site_markdown(_stub_math)


def text_runs(page_html: str) -> tuple[str, ...]:
    parser = _TextRuns()
    parser.feed(page_html)
    parser.close()
    return tuple(parser.runs)


def concept_texts(root: Path) -> list[ConceptText]:
    """Every concept page of the real build, with the runs of its body text."""
    return texts_of(build(BuildConfig(root=root, url_map=Path("glossary-urls.json"))))


def texts_of(result: BuildResult) -> list[ConceptText]:
    """Every concept page of a build, with the runs of its body text."""
    md = _markdown()
    texts = []
    for entry in result.entries:
        page = result.pages[entry.path]
        md.reset()
        body = md.convert(re.sub(r"\A---\n.*?\n---\n", "", page, flags=re.S))
        texts.append(ConceptText(entry.title, (entry.title, *entry.aliases), text_runs(body)))
    return texts


def _tokenizer() -> jieba.posseg.POSTokenizer:
    jieba.setLogLevel(logging.WARNING)
    return jieba.posseg.POSTokenizer(jieba.Tokenizer())


def _is_latin(word: str) -> bool:
    return word.isascii()


def _word_ok(word: str) -> bool:
    return len(word) >= 2 and not word.isdigit() and WORD_RE.fullmatch(word) is not None


def _phrases_of_run(run: str, tokenizer: jieba.posseg.POSTokenizer) -> Iterator[str]:
    """Every string of 2–3 adjacent words in a run (one space allowed between Latin words)."""
    # Tokens as (text, start, end, content word?); jieba keeps every character.
    tokens: list[tuple[str, int, int, bool]] = []
    start = 0
    for pair in tokenizer.cut(run, HMM=False):
        end = start + len(pair.word)
        if WORD_RE.fullmatch(pair.word):
            tokens.append((pair.word, start, end, pair.flag.startswith(CONTENT_FLAGS)))
        start = end
    for i in range(len(tokens)):
        for size in (2, 3):
            window = tokens[i : i + size]
            if len(window) < size:
                break
            adjacent = True
            for (left, _, left_end, _), (right, right_start, _, _) in itertools.pairwise(window):
                gap = run[left_end:right_start]
                if gap == "":
                    continue
                if gap == " " and _is_latin(left) and _is_latin(right):
                    continue
                adjacent = False
                break
            if not adjacent:
                break
            words = [w for w, _, _, _ in window]
            if not all(_word_ok(w) for w in words) or not (window[0][3] and window[-1][3]):
                continue
            if words[0].lower() in EDGE_STOPWORDS or words[-1].lower() in EDGE_STOPWORDS:
                continue
            yield run[window[0][1] : window[-1][2]]


def _mostly_noise(phrase: str) -> bool:
    noise = sum(1 for c in phrase if c.isdigit() or not (c.isalpha() or c == " "))
    return noise * 3 > len(phrase)


def candidates(
    texts: Sequence[ConceptText], tokenizer: jieba.posseg.POSTokenizer
) -> dict[str, list[str]]:
    """Each concept title → its phrases that occur on no other concept page."""
    # Each page as a reader finds it: its names and its body (a phrase spans neither).
    folded = ["\n".join((*t.names, *t.runs)).casefold() for t in texts]
    everything = "\0".join(folded)
    found: dict[str, list[str]] = {}
    for text in texts:
        names = [n.casefold() for n in text.names]
        seen: set[str] = set()
        for run in text.runs:
            for phrase in _phrases_of_run(run, tokenizer):
                key = phrase.casefold()
                if key in seen or _mostly_noise(phrase):
                    continue
                seen.add(key)
                if any(key in name or name in key for name in names):
                    continue
                if not HAN_RE.search(phrase) and len(phrase) < 5:
                    continue
                # Once in all pages is once on this one; else count the pages.
                if everything.count(key) > 1 and sum(key in other for other in folded) != 1:
                    continue
                found.setdefault(text.title, []).append(phrase)
    return found


def draw(found: dict[str, list[str]], count: int, seed: int) -> list[Phrase]:
    rng = random.Random(seed)
    titles = sorted(found)
    rng.shuffle(titles)
    drawn = []
    for title in titles[:count]:
        drawn.append(Phrase(rng.choice(sorted(found[title])), title))
    return drawn


def body_phrases(root: Path = ROOT, count: int = 100, seed: int = 1) -> list[Phrase]:
    texts = concept_texts(root)
    return draw(candidates(texts, _tokenizer()), count, seed)


def write_rows(phrases: Iterable[Phrase]) -> str:
    return "".join(p.row() + "\n" for p in phrases)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the project (its concepts/)")
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="write the rows here (default: stdout)")
    args = parser.parse_args()
    phrases = body_phrases(args.root, args.count, args.seed)
    if len(phrases) < args.count:
        print(f"only {len(phrases)} pages have a phrase of their own", file=sys.stderr)
    rows = write_rows(phrases)
    if args.out:
        args.out.write_text(rows, encoding="utf-8")
    else:
        sys.stdout.write(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
