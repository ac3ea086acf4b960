"""One page per concept across notes: duplicates folded into one entry, each source's text kept.

The same concept is often written in several notes, or twice in one. Two headings are one
concept when their titles are the same but for case, spaces, quotes and a trailing 概念
(:func:`merge_key`), or when an English and a Chinese title share an abbreviation. Identical
copies are kept once; different ones each keep their part, attributed.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence

from .codes import Code
from .math import TOKEN_RE
from .terms import is_abbreviation
from .text import has_cjk
from .types import Concept, Diagnostic, Entry, Formula, NoteOutline, Part, Severity

__all__ = ["alias_conflicts", "merge", "merge_key"]

_SUFFIX_RE = re.compile(r"概念$")
_KEY_DROP_RE = re.compile(r"[\s`\"'“”‘’《》\-_.·]+")


@functools.lru_cache(maxsize=1 << 16)  # every build asks again for every title
def merge_key(title: str) -> str:
    """What makes two headings the same concept: `SOTA 模型` = `SOTA 模型概念` = `sota模型`,
    `LLM.int8` = `LLM-int8`."""
    key = _KEY_DROP_RE.sub("", unicodedata.normalize("NFKC", title).casefold())
    stripped = _SUFFIX_RE.sub("", key)
    return stripped or key


def _body_signature(concept: Concept, formulas: Sequence[Formula]) -> str:
    """A concept's text, to tell identical copies: with each formula as itself, not as its
    token (`$x$` and `$\\beta$` are both token 0 in their own notes)."""

    def formula(token: re.Match[str]) -> str:
        used = formulas[int(token[1])]
        return repr((used.tex, used.display))

    def shown(text: str) -> str:
        return TOKEN_RE.sub(formula, text.strip())

    lines = [shown(ln.text) for ln in concept.body if ln.text.strip()]
    for sub in concept.subsections:
        lines.append(shown(sub.title))
        lines.extend(shown(ln.text) for ln in sub.body if ln.text.strip())
    return "\n".join(lines)


def merge(outlines: Sequence[NoteOutline]) -> list[tuple[Part, ...]]:
    """Group concepts by :func:`merge_key`, in order of first appearance (notes in path order),
    then join an English-titled and a Chinese-titled group that share an abbreviation
    (`Parameter-Efficient Fine-Tuning (PEFT)` = `参数高效微调 (PEFT)`)."""
    groups: dict[str, list[tuple[Concept, tuple[Formula, ...]]]] = {}
    for outline in outlines:
        for concept in outline.concepts:
            groups.setdefault(merge_key(concept.title), []).append((concept, outline.formulas))
    keys = list(groups)
    for first, second in _translation_pairs(keys, groups):
        groups[first].extend(groups.pop(second))
    result: list[tuple[Part, ...]] = []
    for members in groups.values():
        if len(members) == 1:  # most concepts: no copy to compare with
            ((concept, formulas),) = members
            result.append((Part(concept, formulas, None),))
            continue
        parts: list[Part] = []
        first_with: dict[str, int] = {}  # body signature → index of the first part with it
        for concept, formulas in members:
            signature = _body_signature(concept, formulas)
            parts.append(Part(concept, formulas, first_with.get(signature)))
            first_with.setdefault(signature, len(parts) - 1)
        result.append(tuple(parts))
    return result


def alias_conflicts(entries: Sequence[Entry]) -> list[Diagnostic]:
    """A note for each source of a merged concept whose aliases disagree with the first
    source's that has aliases (each has one the other lacks: `注意力 (Attention)` and
    `注意力 (Attn)`). Nothing is lost, the page lists every alias; but the author may have
    meant one set."""
    diagnostics = []
    for entry in entries:
        named = [p.concept for p in entry.parts if p.concept.heading.aliases]
        if not named:
            continue
        earlier = named[0]
        first = set(earlier.heading.aliases)
        for concept in named[1:]:
            aliases = set(concept.heading.aliases)
            if aliases <= first or aliases >= first:
                continue
            diagnostics.append(
                Diagnostic(
                    concept.span,
                    Severity.INFO,
                    Code.ALIAS_CONFLICT,
                    f"'{concept.title}' is named {', '.join(concept.heading.aliases)} here but "
                    f"{', '.join(earlier.heading.aliases)} at {earlier.span}; its page lists both",
                    "give the headings the same aliases if they are one concept, or different "
                    "titles if they are two",
                )
            )
    return diagnostics


def _translation_pairs(
    keys: Sequence[str], groups: Mapping[str, list[tuple[Concept, tuple[Formula, ...]]]]
) -> list[tuple[str, str]]:
    by_abbreviation: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        abbreviations = {
            a for concept, _ in groups[key] for a in concept.heading.aliases if is_abbreviation(a)
        }
        for abbreviation in abbreviations:
            by_abbreviation[abbreviation].append(key)
    pairs = []
    for owners in by_abbreviation.values():
        if len(owners) != 2:
            continue
        titles = [groups[k][0][0].title for k in owners]
        if has_cjk(titles[0]) != has_cjk(titles[1]):
            pairs.append((owners[0], owners[1]))
    return pairs
