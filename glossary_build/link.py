"""Automatic cross-links (a mention of another concept's name links to its page), backlinks.

One Aho-Corasick automaton over all the names terms.py indexes: leftmost-longest (张量点积
beats 张量), ASCII word boundaries for Latin terms, exact case for abbreviations, and never
inside code, math, links, images, URLs or HTML; the first mention per section only.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import ahocorasick

from .codes import Code
from .markdown_syntax import fenced_lines
from .math import ANY_TOKEN_RE
from .merge import alias_conflicts
from .terms import Term, fold, is_abbreviation, linkable, term_index
from .text import code_spans, has_cjk
from .types import Diagnostic, Entry, Line, Severity

__all__ = [
    "MAX_NAME_TAIL",
    "MODIFIER_PREFIXES",
    "Linker",
    "backlinks",
    "crosslink",
    "link_entry",
    "link_lines",
    "linker_for",
    "protected_spans",
]

MODIFIER_PREFIXES = frozenset("无非自半弱反")
"""无监督学习 is not 监督学习, 自监督 neither, 非线性 is not 线性: a Chinese term right after one
of these modifiers is part of a different word."""

# Parts of a line no link may go into, besides code spans and HTML links (see
# protected_spans). No alternative scans past a place where another attempt starts, so a long
# line of `[`, `![a](` or `<` costs linear time, not quadratic.
_PROTECTED_RE = re.compile(
    ANY_TOKEN_RE.pattern  # a formula
    + r"|!?\[[^\[\]\n]*+\]\((?:[^()\n]++|\([^()\n]*+\))*+\)"  # links and images, text and target
    r"|<[^<>]++>"  # HTML tags
    r"|(?:https?|ftp)://\S+|www\.\S+"  # bare URLs
    r"|\\."  # an escaped character (part of literal text like \[MASK\])
    r"|\{:?[ ]*+[^{}\n ][^{}\n]*+\}"  # an attribute list, shown as typed (`{: target=_blank }`)
)
_HTML_LINK_RE = re.compile(r"<a\b")
_ASCII_WORD = re.compile(r"[A-Za-z0-9_]")
_LATIN_OR_HYPHEN = re.compile(r"[A-Za-z\-]")


def protected_spans(text: str) -> bytearray:
    """1 for each character of one line inside code, a formula, a link or image (text and
    target), HTML, a URL or an escape; 0 elsewhere."""
    protected = bytearray(len(text))
    spans = [*code_spans(text), *_html_link_spans(text)]
    spans.extend(m.span() for m in _PROTECTED_RE.finditer(text))
    for start, end in spans:
        protected[start:end] = b"\x01" * (end - start)
    return protected


def _html_link_spans(text: str) -> list[tuple[int, int]]:
    """`<a ...>` to the next `</a>`; an `<a` with none after it has nothing to protect, and
    neither has any later one (so the line is scanned once)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    while opening := _HTML_LINK_RE.search(text, pos):
        closing = text.find("</a>", opening.end())
        if closing < 0:
            break
        spans.append((opening.start(), closing + len("</a>")))
        pos = closing + len("</a>")
    return spans


@dataclass(frozen=True, slots=True)
class Linker:
    """Finds the mentions of every linkable name in a line (:meth:`matches`)."""

    automaton: ahocorasick.Automaton
    """Folded name → (its length, the terms it is)."""
    slugs: tuple[str, ...]
    """Each entry's slug, by index: what a link points to."""

    @staticmethod
    def build(
        entries: Sequence[Entry], terms: Mapping[str, list[Term]], ambiguous: Mapping[str, set[int]]
    ) -> Linker:
        """The linker of ``terms`` (:func:`~glossary_build.terms.term_index`), without the
        ambiguous ones and the names never linked (:func:`~glossary_build.terms.linkable`)."""
        automaton = ahocorasick.Automaton()
        for key, named in terms.items():
            if key in ambiguous or not linkable(named[0].text):
                continue
            automaton.add_word(key, (len(key), tuple(named)))
        if len(automaton):
            automaton.make_automaton()
        return Linker(automaton, tuple(e.slug for e in entries))

    def matches(self, text: str) -> list[tuple[int, int, int]]:
        """(start, end, entry) of every acceptable mention, leftmost-longest, no overlaps."""
        if not len(self.automaton):
            return []
        folded = fold(text)
        protected = protected_spans(text)
        candidates: list[tuple[int, int, int]] = []
        for end_index, (length, named) in self.automaton.iter(folded):
            start, end = end_index - length + 1, end_index + 1
            if any(protected[start:end]):
                continue
            for term in named:
                if term.exact_case and text[start:end] != term.text:
                    continue
                if not _ascii_boundaries(text, start, end):
                    continue
                if _inside_other_word(text, start, end, term.text):
                    continue
                candidates.append((start, end, term.entry))
                break
        candidates = [c for c in candidates if not _head_of_glossed_name(text, c[0], c[1])]
        candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
        chosen: list[tuple[int, int, int]] = []
        last_end = 0
        for start, end, entry in candidates:
            if start >= last_end:
                chosen.append((start, end, entry))
                last_end = end
        return chosen


# A Chinese name the note glosses in Latin right after it: `批量归一化（Batch Normalization）`,
# `**批量归一化**（Batch Normalization）`.
_IDEOGRAPH_RE = re.compile(r"[\u4e00-\u9fff]")
MAX_NAME_TAIL = 3
"""Characters a glossed name may go on past the term (归一化); a longer run is a phrase."""
_GLOSS_RE = re.compile(r"[*_\\]*+[ \t]*+[（(][ \t]*+[A-Za-z]{3}")
# Words that end a name rather than belong to it (类别叫作类(class): 叫作 is a verb).
_NAME_BREAKS = frozenset("的是为和与在对把被叫作将及或求由用从向以")


def _head_of_glossed_name(text: str, start: int, end: int) -> bool:
    """Is the Chinese term at ``start:end`` only the head of a longer name the note glosses?

    In 通过批量归一化（Batch Normalization）, 批量 is part of the name 批量归一化 (batch
    normalization), not a mention of 批量 (batch). jieba's dictionary has no 批量归一化 and
    cuts it 批量/归一化, so the note's own gloss decides: the Chinese run the term starts
    goes on past it and ends at a Latin gloss. (The last term of the run stays linkable.)
    """
    if not has_cjk(text[start:end]):
        return False
    run_end = end
    while (
        run_end < len(text)
        and run_end - end <= MAX_NAME_TAIL
        and _IDEOGRAPH_RE.match(text[run_end])
        and text[run_end] not in _NAME_BREAKS
    ):
        run_end += 1
    if not end < run_end <= end + MAX_NAME_TAIL:
        return False
    return _GLOSS_RE.match(text, run_end) is not None


def _ascii_boundaries(text: str, start: int, end: int) -> bool:
    if _ASCII_WORD.match(text[start]) and start > 0 and _ASCII_WORD.match(text[start - 1]):
        return False
    return not (
        _ASCII_WORD.match(text[end - 1]) and end < len(text) and _ASCII_WORD.match(text[end])
    )


def _inside_other_word(text: str, start: int, end: int, term: str) -> bool:
    """`Gaussian Error Linear Unit` is not 误差, `Half-precision` is not 精确率, 无监督学习 is
    not 监督学习: a one-word Latin term inside an English phrase, a Chinese term after a
    modifier, are parts of other words."""
    if has_cjk(term):
        return start > 0 and text[start - 1] in MODIFIER_PREFIXES
    if " " in term or is_abbreviation(term):
        return False
    before, after = _next_non_space(text, start - 1, -1), _next_non_space(text, end, 1)
    return bool(_LATIN_OR_HYPHEN.match(before)) or bool(_LATIN_OR_HYPHEN.match(after))


def _next_non_space(text: str, index: int, step: int) -> str:
    """The first character that is not a space from ``index`` on, going by ``step`` (or '').
    (Slicing the line up to every mention instead is quadratic on a long line.)"""
    while 0 <= index < len(text) and text[index] == " ":
        index += step
    return text[index] if 0 <= index < len(text) else ""


# A bracket in a link's text would end it early (`张量 [` of a title `张量 [`).
_UNESCAPED_BRACKET_RE = re.compile(r"(?<!\\)([\[\]])")


def link_lines(
    lines: Sequence[Line], linker: Linker, self_index: int, linked: set[int]
) -> tuple[tuple[Line, ...], list[int]]:
    """Link the first mention of each other entry in one section; returns the new lines and
    the entries linked. ``linked`` (entries already linked in this section) is updated."""
    fenced = fenced_lines(lines)
    out: list[Line] = []
    targets: list[int] = []
    for line in lines:
        text = line.text
        stripped = text.lstrip()
        if line.number in fenced or stripped.startswith(("<", "#")) or not stripped:
            out.append(line)
            continue
        pieces: list[str] = []
        pos = 0
        for start, end, entry in linker.matches(text):
            if entry == self_index or entry in linked:
                continue
            linked.add(entry)
            targets.append(entry)
            pieces.append(text[pos:start])
            shown = _UNESCAPED_BRACKET_RE.sub(r"\\\1", text[start:end])
            pieces.append(f"[{shown}]({linker.slugs[entry]}.md)")
            pos = end
        pieces.append(text[pos:])
        out.append(Line(line.number, "".join(pieces)) if pos else line)
    return tuple(out), targets


def crosslink(
    entries: Sequence[Entry],
) -> tuple[list[Entry], dict[int, list[int]], list[Diagnostic]]:
    """Link every entry's text to the others; returns new entries, links (source → targets in
    order of first mention) and a diagnostic per ambiguous term."""
    linker, diagnostics = linker_for(entries)
    linked_entries: list[Entry] = []
    links: dict[int, list[int]] = {}
    for index, entry in enumerate(entries):
        linked, links[index] = link_entry(entry, index, linker)
        linked_entries.append(linked)
    return linked_entries, links, diagnostics


def linker_for(entries: Sequence[Entry]) -> tuple[Linker, list[Diagnostic]]:
    """The matcher of every unambiguous name, and a diagnostic per ambiguous one and per
    merged concept whose sources give it conflicting aliases (the names the linker knows)."""
    terms, ambiguous = term_index(entries)
    linker = Linker.build(entries, terms, ambiguous)
    diagnostics = [
        Diagnostic(
            entries[min(owners)].parts[0].concept.span,
            Severity.INFO,
            Code.AMBIGUOUS_ALIAS,
            f"'{terms[key][0].text}' names {len(owners)} concepts ("
            + ", ".join(sorted(entries[i].title for i in owners))
            + "); it is not linked",
            "give the concepts distinct aliases",
        )
        for key, owners in sorted(ambiguous.items())
    ]
    return linker, diagnostics + alias_conflicts(entries)


def link_entry(entry: Entry, index: int, linker: Linker) -> tuple[Entry, list[int]]:
    """One entry with its text linked; the entries it links to, in order of first mention.
    Depends only on the entry, its index and the linker (so it can be reused)."""
    targets: list[int] = []
    parts = []
    for part in entry.parts:
        if part.same_as is not None:
            parts.append(part)
            continue
        body, found = link_lines(part.concept.body, linker, index, set())
        targets.extend(found)
        subsections = []
        for sub in part.concept.subsections:
            sub_body, sub_found = link_lines(sub.body, linker, index, set())
            targets.extend(sub_found)
            subsections.append(replace(sub, body=sub_body))
        concept = replace(part.concept, body=body, subsections=tuple(subsections))
        parts.append(replace(part, concept=concept))
    return replace(entry, parts=tuple(parts)), list(dict.fromkeys(targets))


def backlinks(links: Mapping[int, Iterable[int]]) -> dict[int, list[int]]:
    """Each entry → the entries that link to it, in entry order (the inverse of ``links``)."""
    inverse: dict[int, list[int]] = defaultdict(list)
    for source, targets in sorted(links.items()):
        for target in targets:
            inverse[target].append(source)
    return dict(inverse)
