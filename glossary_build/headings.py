"""A concept heading → title, aliases (中文 / English / abbreviation), status markers.

The glossary writes one heading per term in many shapes; every one of these is real:

    张量(tensor)                          → 张量 · tensor
    logistic 回归(logistic regression,简称 logreg, LR)
                                          → logistic 回归 · logistic regression, logreg, LR
    精确率(precision)，查准率(P)           → 精确率 · precision, 查准率, P
    召回率recall，也称为真阳率（TPR）…      → 召回率 · recall, 真阳率, TPR, …
    ECA(Efficient Channel Attention) 高效通道注意力
                                          → 高效通道注意力 · ECA, Efficient Channel Attention
    准（正）确率（Accuracy）               → 准（正）确率 · Accuracy
    二维卷积层(Keras 的 Conv2D )           → 二维卷积层 · Conv2D
    高方差(high variance)与高偏差(high bias) → kept whole: two concepts fused by 与
    迁移学习最佳实践 * todo                → status markers *, todo
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .markdown_syntax import HEADING_ATTRIBUTES_RE
from .text import has_cjk
from .types import Heading

_STATUS_MARKERS = frozenset({"*", "★", "todo", "TODO", "WIP"})
_BLANKS_RE = re.compile(r"([ \t\u3000]+)")
_OPEN, _CLOSE = "(（", ")）"
# Between names that mean the same thing: 精确率(precision)，查准率(P); 权重(weight)或…
_ALTERNATIVE_RE = re.compile(r"[,，、;；]|或")
_ALTERNATIVE_OR_TAG_RE = re.compile(rf"<[A-Za-z/][^<>]*+>|(?P<separator>{_ALTERNATIVE_RE.pattern})")
# Between two different concepts written in one heading: 训练(train)和推理(inference).
_CONJUNCTION_RE = re.compile(r"与|和|及|&|＆")
_ALIAS_PREFIX_RE = re.compile(
    r"^(?:也称为|也称|又称为|又称|也叫|又叫|简称|简写|缩写为|缩写|即)[:：为]?\s*"
)
_EXAMPLE_RE = re.compile(r"^(?:比如|例如|如|e\.g\.)")
_CALLED_RE = re.compile(r"(?:叫作|叫做|称为|称作)\s*(?P<term>\S+)\s*$")
_LIBRARY_TERM_RE = re.compile(r"^[A-Za-z][\w.]*\s*的\s*(?P<term>[A-Za-z][\w.]*)$")
# `召回率recall`, `批量正则化BN`, `梯度裁剪Gradient Clipping`: a Chinese name then its English.
_CJK_THEN_LATIN_RE = re.compile(
    r"^(?P<cjk>[\u4e00-\u9fff]{2,})\s*(?P<latin>[A-Za-z][A-Za-z0-9\- ]*[A-Za-z0-9])$"
)
# `ECA(Efficient Channel Attention) 高效通道注意力`: abbreviation (expansion) Chinese name.
_LATIN_PAREN_CJK_RE = re.compile(r"^[A-Za-z][\w\- ]*$")


@dataclass(frozen=True, slots=True)
class _Segment:
    text: str
    paren: bool
    """True for a top-level parenthesised group (text without its brackets)."""
    brackets: str = "()"
    """The opening and closing bracket as written (half- or full-width)."""


def parse_heading(raw: str) -> Heading:
    """Split a concept heading into title, aliases, status markers and attribute classes."""
    text = raw.strip()
    attributes: tuple[str, ...] = ()
    attr_match = HEADING_ATTRIBUTES_RE.search(text)
    if attr_match:
        attributes = tuple(attr_match[1].split())
        text = text[: attr_match.start()].rstrip()
    text, status = _split_status(text)
    text = text.replace("`", "").strip()
    title, aliases = _title_and_aliases(text)
    unique = [a for a in dict.fromkeys(aliases) if a and a != title]
    return Heading(title or text, tuple(unique), status, attributes)


def _split_status(text: str) -> tuple[str, tuple[str, ...]]:
    """`迁移学习最佳实践 * todo` → (`迁移学习最佳实践`, (`*`, `todo`)): the markers after the
    last word, each after a blank. (Split once, not searched with `(?:\\s+marker)+$`, which is
    quadratic on a long heading of ` *`.)"""
    words = _BLANKS_RE.split(text)  # word, blank, word, blank, ..., word
    markers: list[str] = []
    while len(words) >= 3 and words[-1] in _STATUS_MARKERS:
        markers.append(words.pop())
        words.pop()
    return "".join(words), tuple(reversed(markers))


def _title_and_aliases(text: str) -> tuple[str, list[str]]:
    segments = _segments(text)
    groups = [s for s in segments if s.paren]
    between = "".join(s.text for s in segments if not s.paren)
    if len(groups) >= 2 and _CONJUNCTION_RE.search(_text_between_groups(segments)):
        return text, []
    if not groups and _CONJUNCTION_RE.search(between) and not _ALTERNATIVE_RE.search(between):
        return text, []
    # In document order: every part's name, then the names in its brackets.
    names: list[str] = []
    for part in _split_parts(segments):
        name, part_aliases = _part_name_and_aliases(part)
        names.extend([name, *part_aliases] if name else part_aliases)
    if not names:
        return text, []
    title, aliases = names[0], names[1:]
    split = _CJK_THEN_LATIN_RE.match(title)
    if split:
        title = split["cjk"]
        aliases.insert(0, split["latin"].strip())
    return title, aliases


def _segments(text: str) -> list[_Segment]:
    """Top-level text runs and parenthesised groups; nested brackets stay inside a group."""
    segments: list[_Segment] = []
    depth, start, buffer, opener = 0, 0, [], "("
    for index, char in enumerate(text):
        if char in _OPEN:
            if depth == 0:
                buffer.append(text[start:index])
                segments.append(_Segment("".join(buffer), False))
                buffer, start, opener = [], index + 1, char
            depth += 1
        elif char in _CLOSE:
            if depth == 0:
                # A stray closing bracket (`思维链(Chain-of-Thought，CoT）)`): not a group.
                buffer.append(text[start:index])
                start = index + 1
                continue
            depth -= 1
            if depth == 0:
                segments.append(_Segment(text[start:index], True, opener + char))
                start = index + 1
    tail = text[start:]
    if depth > 0:
        # An unclosed bracket: keep it as text.
        segments.append(_Segment("".join(buffer) + text[start - 1 :], False))
    else:
        segments.append(_Segment("".join(buffer) + tail, False))
    return [s for s in segments if s.paren or s.text]


def _text_between_groups(segments: list[_Segment]) -> str:
    first = next(i for i, s in enumerate(segments) if s.paren)
    last = max(i for i, s in enumerate(segments) if s.paren)
    return "".join(s.text for s in segments[first:last] if not s.paren)


def _split_parts(segments: list[_Segment]) -> list[list[_Segment]]:
    """Split at top-level alternative separators (，、或); brackets keep theirs."""
    parts: list[list[_Segment]] = [[]]
    for segment in segments:
        if segment.paren:
            parts[-1].append(segment)
            continue
        for i, piece in enumerate(_split_alternatives(segment.text)):
            if i:
                parts.append([])
            if piece:
                parts[-1].append(_Segment(piece, False))
    return [p for p in parts if p]


def _split_alternatives(text: str) -> list[str]:
    """``text`` split at alternative separators outside HTML tags (`style="zoom:50%;"`)."""
    pieces: list[str] = []
    start = 0
    for match in _ALTERNATIVE_OR_TAG_RE.finditer(text):
        if match["separator"]:
            pieces.append(text[start : match.start()])
            start = match.end()
    pieces.append(text[start:])
    return pieces


def _part_name_and_aliases(part: list[_Segment]) -> tuple[str, list[str]]:
    # Trailing groups hold aliases; a group inside the name (准（正）确率) stays in it.
    end = len(part)
    while end > 0 and (part[end - 1].paren or not part[end - 1].text.strip()):
        end -= 1
    trailing = [s.text for s in part[end:] if s.paren]
    head = part[:end]
    if (
        len(head) == 3
        and not head[0].paren
        and head[1].paren
        and not head[2].paren
        and _LATIN_PAREN_CJK_RE.match(head[0].text.strip())
        and head[2].text[:1].isspace()
        and has_cjk(head[2].text)
    ):
        abbreviation, expansion, name = head[0].text.strip(), head[1].text, head[2].text
        return _clean_name(name), [abbreviation, *_split_aliases(expansion)]
    name = "".join(_bracketed(s) for s in head)
    aliases = [alias for group in trailing for alias in _split_aliases(group)]
    return _clean_name(name), aliases


def _bracketed(segment: _Segment) -> str:
    if not segment.paren:
        return segment.text
    return f"{segment.brackets[0]}{segment.text}{segment.brackets[1]}"


def _clean_name(name: str) -> str:
    return _ALIAS_PREFIX_RE.sub("", name.strip()).strip()


def _split_aliases(inner: str) -> list[str]:
    """The names inside one bracket group, without 简称/也称为 and without examples."""
    aliases = []
    for piece in _split_top_level(inner):
        alias = _ALIAS_PREFIX_RE.sub("", piece.strip()).strip()
        if not alias or _EXAMPLE_RE.match(alias):
            continue
        called = _CALLED_RE.search(alias) or _LIBRARY_TERM_RE.match(alias)
        aliases.append(called["term"] if called else alias)
    return aliases


def _split_top_level(inner: str) -> list[str]:
    pieces: list[str] = []
    current: list[str] = []
    depth = 0
    for char in inner:
        depth += char in _OPEN
        depth -= char in _CLOSE and depth > 0
        if depth == 0 and (char in ",，、;；/" or char == "或"):
            pieces.append("".join(current))
            current = []
        else:
            current.append(char)
    pieces.append("".join(current))
    return pieces


__all__ = [
    "parse_heading",
]
