"""Stage 3: rewrite each section's body into Markdown that renders what the author meant.

The rules run in the order of :data:`RULES`; each takes a note and returns the rewritten note
plus the problems it found. Every output line keeps the number of the source line it came from.
"""

from __future__ import annotations

import ast
import html
import posixpath
import re
from collections.abc import Callable, Hashable, MutableMapping, Sequence
from dataclasses import replace
from urllib.parse import unquote

from .markdown_syntax import fence_attributes_from_notes, fence_opener, scan_fences
from .math import TOKEN_OPEN, TOKEN_RE, MathProtector, token
from .parse import EMPTY_HEADING_RE, fence_open_lines
from .sanitize import sanitize_body
from .text import code_spans, escape_markdown, fence_for, has_cjk
from .types import Diagnostic, Formula, Line, RawNote, Section, Severity, Span

Rule = Callable[[RawNote], tuple[RawNote, tuple[Diagnostic, ...]]]

# `{.marker-none}`, `{.show-header .left-text}`: attribute lines of the cheatsheet theme.
ATTRIBUTE_LINE_RE = re.compile(r"^[ \t]*\{[ \t]*[.#][^{}]*\}[ \t]*$")
# (Callers strip the blanks before it: a leading `[ \t]*` would make every search quadratic
# on a long run of spaces.)
HEADING_ATTRIBUTES_RE = re.compile(r"\{[ \t]*([.#][^{}]*)\}[ \t]*$")


def protect_math(note: RawNote) -> tuple[RawNote, tuple[Diagnostic, ...]]:
    """Replace every formula by a token before any other rule can touch its TeX."""
    protector = MathProtector(note.source.path)
    sections = tuple(
        replace(
            s,
            heading=protector.protect_heading(s.heading, s.span.line),
            body=protector.protect_lines(s.body),
        )
        for s in note.sections
    )
    note = replace(note, sections=sections, formulas=tuple(protector.formulas))
    return note, tuple(protector.diagnostics)


def consume_attribute_lines(note: RawNote) -> tuple[RawNote, tuple[Diagnostic, ...]]:
    """Drop theme attribute lines such as ``{.marker-none}`` (outside code)."""

    def rewrite(section: Section) -> Section:
        fenced = fence_open_lines(section.body)
        body = tuple(
            ln for ln in section.body if ln.number in fenced or not ATTRIBUTE_LINE_RE.match(ln.text)
        )
        return replace(section, body=body)

    return _map_sections(note, rewrite), ()


def fence_attribute_lists(note: RawNote) -> tuple[RawNote, tuple[Diagnostic, ...]]:
    """A fence's attribute list keeps only the language and highlight's options: an id or
    any other attribute from a note would reach the page (see
    :func:`~glossary_build.markdown_syntax.fence_attributes_from_notes`)."""
    diagnostics: list[Diagnostic] = []

    def rewrite(section: Section) -> Section:
        body = list(section.body)
        for fence in scan_fences([line.text for line in body]):
            if fence.end is None:
                continue  # never opened: its line is text
            line = body[fence.start]
            text, dropped = fence_attributes_from_notes(line.text)
            if not dropped:
                continue
            body[fence.start] = Line(line.number, text)
            diagnostics.append(
                Diagnostic(
                    Span(note.source.path, line.number),
                    Severity.WARNING,
                    "fence-attributes",
                    f"the code fence's attribute list sets {' '.join(dropped)}; left out",
                    "a fence may name its language ({.python}) and highlight options only",
                )
            )
        return replace(section, body=tuple(body))

    return _map_sections(note, rewrite), tuple(diagnostics)


# --- glossary notes whose bodies are indented four spaces -------------------------------------

_SESSION_RE = re.compile(r"^(>>>|\.\.\.)(\s|$)|^(Out|In)\s*\[\d*\]:")
_BLOCK_START_RE = re.compile(r"^(def|class)\s+\w+.*:\s*$|^(import|from)\s+[\w.]+|^@\w")
# Columns aligned with runs of spaces: an ASCII table (混淆矩阵) or numpy output.
_ALIGNED_RE = re.compile(r"^[ \t]{4,}\S.*\S {3,}\S|\S {3,}\S.* {3,}\S")
_CODE_NODES = (
    ast.Call,
    ast.Assign,
    ast.AugAssign,
    ast.AnnAssign,
    ast.Subscript,
    ast.Attribute,
    ast.Import,
    ast.ImportFrom,
    ast.FunctionDef,
    ast.ClassDef,
    ast.Return,
)


def is_python_statement(text: str) -> bool:
    """True for a line of Python that does something (`x.reshape((6, 1))`, `batch = a[:128]`).

    Prose such as `fine-tuning` or pseudo-formulas such as `Jmse = sum(math.pow(yi-yi', 2))/N`
    either do not parse or contain no call, assignment, subscript or attribute access.
    """
    stripped = text.strip()
    if not stripped or has_cjk(stripped):
        return False
    try:
        tree = ast.parse(stripped)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        # Python's parser gives up on deep nesting (`a+a+…`, `----x`) with the last two.
        return False
    return any(isinstance(node, _CODE_NODES) for node in ast.walk(tree))


def starts_code(text: str) -> bool:
    """A line (with the body indentation removed) that opens a code or preformatted block."""
    stripped = text.strip()
    return bool(
        _SESSION_RE.match(stripped)
        or _BLOCK_START_RE.match(stripped)
        or _ALIGNED_RE.search(text)
        or is_python_statement(stripped)
    )


def continues_code(text: str, bracket_depth: int) -> bool:
    """Inside a code block: output, continuation lines, comments, deeper-indented lines."""
    if bracket_depth > 0 or text.startswith((" ", "\t")):
        return True
    stripped = text.strip()
    return stripped.startswith("#") or not has_cjk(stripped) or starts_code(text)


def classify_indented_lines(lines: Sequence[str]) -> list[str]:
    """Label each dedented body line ``code``, ``prose`` or ``blank``.

    A blank line between two code lines belongs to the code block; an expression spread over
    several lines (`np.dot([[    [0, 2, 0],` …) is code if the lines together are Python.
    """
    kinds: list[str] = []
    in_code = False
    depth = 0
    # The first non-blank line from each index on (looked up, not searched: many blank
    # lines in a long body would make that quadratic).
    next_text: list[str | None] = [None] * (len(lines) + 1)
    for index in range(len(lines) - 1, -1, -1):
        next_text[index] = lines[index] if lines[index].strip() else next_text[index + 1]
    i = 0
    while i < len(lines):
        text = lines[i]
        if not text.strip():
            following = next_text[i + 1]
            in_code = (
                in_code
                and following is not None
                and (following.startswith((" ", "\t")) or starts_code(following))
            )
            kinds.append("code" if in_code else "blank")
            i += 1
            continue
        if not in_code:
            span = _multiline_statement(lines, i)
            if span > 1:
                kinds.extend(["code"] * span)
                in_code, depth, i = True, 0, i + span
                continue
        in_code = continues_code(text, depth) if in_code else starts_code(text)
        depth = max(0, depth + _bracket_balance(text)) if in_code else 0
        kinds.append("code" if in_code else "prose")
        i += 1
    return kinds


MAX_STATEMENT_LINES = 60


def _multiline_statement(lines: Sequence[str], start: int) -> int:
    """How many lines from ``start`` form one bracketed Python statement (0 if they don't)."""
    balance = 0
    for end in range(start, min(len(lines), start + MAX_STATEMENT_LINES)):
        text = lines[end]
        if has_cjk(text) or not text.strip():
            return 0
        balance += _bracket_balance(text)
        if balance <= 0:
            if end == start:
                return 0
            joined = "\n".join(t.strip() for t in lines[start : end + 1])
            return end - start + 1 if is_python_statement(joined) else 0
    return 0


def _bracket_balance(text: str) -> int:
    return sum(text.count(c) for c in "([{") - sum(text.count(c) for c in ")]}")


def _dedent(text: str) -> str | None:
    """The body line without its four-space indentation, or None if it is not indented."""
    expanded = text.expandtabs(4)
    return expanded[4:] if expanded.startswith("    ") else None


def indented_body_to_markdown(body: Sequence[Line]) -> tuple[Line, ...]:
    """Turn a glossary body into prose paragraphs and verbatim code blocks.

    Lines that are not indented (a Markdown table the author pasted) pass through as Markdown.
    """
    out: list[Line] = []
    dedented = [_dedent(ln.text) for ln in body]
    i = 0
    while i < len(body):
        if dedented[i] is None:
            j = i
            while j < len(body) and dedented[j] is None:
                j += 1
            out.extend(_separated(out, body[i:j]))
            i = j
            continue
        j = i
        while j < len(body) and dedented[j] is not None:
            j += 1
        chunk = [d for d in dedented[i:j] if d is not None]
        out.extend(_render_indented_chunk(out, body[i:j], chunk))
        i = j
    return tuple(out)


def _render_indented_chunk(out: list[Line], lines: Sequence[Line], texts: list[str]) -> list[Line]:
    """An indented run of a glossary body: its own fences (```` ```python ```` written inside
    the indentation, 002) become code blocks in their language, the rest is classified."""
    rendered: list[Line] = []
    pos = 0
    for fence in scan_fences(texts):
        if fence.end is None:
            continue
        rendered.extend(
            _render_classified(out + rendered, lines[pos : fence.start], texts[pos : fence.start])
        )
        opener = fence_opener(texts[fence.start])
        language = opener.language if opener else ""
        block = _code_block(
            lines[fence.start + 1 : fence.end] or lines[fence.start : fence.start + 1],
            texts[fence.start + 1 : fence.end] or [""],
            language or None,
            first=lines[fence.start].number,
            last=lines[fence.end].number,
        )
        rendered.extend(_separated(out + rendered, block))
        pos = fence.end + 1
    rendered.extend(_render_classified(out + rendered, lines[pos:], texts[pos:]))
    return rendered


def _render_classified(out: list[Line], lines: Sequence[Line], texts: list[str]) -> list[Line]:
    kinds = classify_indented_lines(texts)
    rendered: list[Line] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and kinds[j] == kinds[i]:
            j += 1
        if kinds[i] == "code":
            block = _code_block(lines[i:j], texts[i:j])
            rendered.extend(_separated(out + rendered, block))
        elif kinds[i] == "prose":
            # Each line of a glossary body is a statement: keep the author's line breaks.
            last = j - i - 1
            block = [
                Line(ln.number, escape_markdown(t.strip()) + ("  " if k < last else ""))
                for k, (ln, t) in enumerate(zip(lines[i:j], texts[i:j], strict=True))
            ]
            rendered.extend(_separated(out + rendered, block))
        i = j
    return rendered


def _code_block(
    lines: Sequence[Line],
    texts: Sequence[str],
    language: str | None = None,
    first: int | None = None,
    last: int | None = None,
) -> list[Line]:
    """A fenced code block of ``texts``; its fence lines numbered ``first``/``last`` (the
    author's own fence lines) or as the first and last line."""
    body = [t.rstrip() for t in texts]
    fence = fence_for(body)
    if language is None:
        head = body[0].lstrip() if body else ""
        if head.startswith(">>>") and not _ALIGNED_RE.search(head):
            language = "pycon"
        elif any(is_python_statement(t) or _BLOCK_START_RE.match(t.strip()) for t in body):
            language = "python"
        else:
            language = "text"
    return [
        Line(lines[0].number if first is None else first, f"{fence}{language}"),
        *(Line(ln.number, t) for ln, t in zip(lines, body, strict=True)),
        Line(lines[-1].number if last is None else last, fence),
    ]


def _separated(previous: Sequence[Line], block: Sequence[Line]) -> list[Line]:
    """The block, preceded by a blank line when it follows other text."""
    if previous and previous[-1].text.strip() and block:
        return [Line(block[0].number, ""), *block]
    return list(block)


def indented_bodies(note: RawNote) -> tuple[RawNote, tuple[Diagnostic, ...]]:
    if not note.indented_bodies:
        return note, ()
    return _map_sections(note, lambda s: replace(s, body=indented_body_to_markdown(s.body))), ()


def literal_empty_headings(note: RawNote) -> tuple[RawNote, tuple[Diagnostic, ...]]:
    """A `###` line without a title is not a heading (parse.py reports it): show it as text,
    not as the empty heading Markdown would make of it."""

    def rewrite(section: Section) -> Section:
        fenced = fence_open_lines(section.body)
        body = tuple(
            Line(ln.number, "\\" + ln.text)
            if ln.number not in fenced and EMPTY_HEADING_RE.match(ln.text)
            else ln
            for ln in section.body
        )
        return replace(section, body=body)

    return _map_sections(note, rewrite), ()


# --- tables --------------------------------------------------------------------------------

_TABLE_DELIMITER_RE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _cell_pipes(row: str) -> list[int]:
    """Offsets of the `|` that separate cells (not escaped, not inside code spans)."""
    pieces, pos = [], 0
    for start, end in code_spans(row):
        pieces += [row[pos:start], " " * (end - start)]
        pos = end
    masked = "".join([*pieces, row[pos:]])
    return [i for i, ch in enumerate(masked) if ch == "|" and (i == 0 or masked[i - 1] != "\\")]


def _cell_count(row: str) -> int:
    pipes = _cell_pipes(row)
    stripped = row.strip()
    inner = len(pipes) - stripped.startswith("|") - (stripped.endswith("|") and len(pipes) > 1)
    return inner + 1


def repair_table_rows(note: RawNote) -> tuple[RawNote, tuple[Diagnostic, ...]]:
    """A row with more `|` than its header would lose its last cells: escape the extra pipes.

    Pipes inside brackets (`P(Q|λ)`) are escaped first; if the row is still too wide, the last
    pipes are, so the surplus text joins the last cell instead of vanishing.
    """
    diagnostics: list[Diagnostic] = []

    def rewrite(section: Section) -> Section:
        fenced = fence_open_lines(section.body)
        body = list(section.body)
        columns = 0
        for index, line in enumerate(body):
            text = line.text
            if line.number in fenced or "|" not in text:
                columns = 0
                continue
            following = body[index + 1].text if index + 1 < len(body) else ""
            if columns == 0 and _TABLE_DELIMITER_RE.match(following):
                columns = _cell_count(text)
                continue
            if columns == 0 or _TABLE_DELIMITER_RE.match(text):
                continue
            if _cell_count(text) > columns:
                repaired = _narrow_row(text, columns)
                diagnostics.append(
                    Diagnostic(
                        Span(note.source.path, line.number),
                        Severity.INFO,
                        "table-row",
                        f"table row has more cells than its header ({columns}); "
                        "extra `|` shown as text",
                        "escape a literal | as \\|",
                    )
                )
                body[index] = Line(line.number, repaired)
        return replace(section, body=tuple(body))

    return _map_sections(note, rewrite), tuple(diagnostics)


def _narrow_row(row: str, columns: int) -> str:
    """Escape separating pipes until the row has ``columns`` cells: pipes inside brackets
    first (right to left), then the last ones (a closing pipe stays).

    The pipes are found once (escaping one moves none of the others), so this is linear.
    """
    pipes = _cell_pipes(row)
    separating = set(pipes)
    stripped = row.strip()
    first = len(row) - len(row.lstrip())
    opens, closes = stripped.startswith("|"), stripped.endswith("|")
    escaped: set[int] = set()

    def cells() -> int:
        left = len(pipes) - len(escaped)
        return left - (opens and first not in escaped) - (closes and left > 1) + 1

    for offset in reversed(_pipes_in_brackets(row)):
        if cells() <= columns:
            break
        if offset in separating:
            escaped.add(offset)
    remaining = [offset for offset in pipes if offset not in escaped]
    last = -2 if closes else -1
    while cells() > columns and len(remaining) >= -last:
        escaped.add(remaining.pop(last))
    pieces, pos = [], 0
    for offset in sorted(escaped):
        pieces += [row[pos:offset], "\\"]
        pos = offset
    return "".join([*pieces, row[pos:]])


def _pipes_in_brackets(row: str) -> list[int]:
    """Offsets of `|` inside (), （） or [] (`P(Q|λ)`): part of a formula, not a separator."""
    offsets = []
    depth = 0
    for offset, char in enumerate(row):
        depth += char in "(（["
        depth -= char in ")）]" and depth > 0
        if char == "|" and depth > 0:
            offsets.append(offset)
    return offsets


# --- images -------------------------------------------------------------------------------

# Neither may scan past the next image: on a long line of `![`/`<img` without a closing `]`/`>`
# every attempt would run to the end of the line (quadratic time). A title (`"..."`) is tried
# only where a run of blanks starts, or a long run of spaces in the target is quadratic too.
MARKDOWN_IMAGE_RE = re.compile(
    r"!\[(?P<alt>[^\[\]\n]*+)\]\((?P<src>(?:[^)\n!]|!(?!\[))*?)(?:(?<!\s)\s++\"[^\"\n]*+\")?\)"
)
HTML_IMAGE_RE = re.compile(r"<img\b[^<>]*+>", re.IGNORECASE)
_ATTR_RE = r"""\b{name}\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+))"""


def _attr(tag: str, name: str) -> str | None:
    match = re.search(_ATTR_RE.format(name=name), tag, re.IGNORECASE)
    if not match:
        return None
    value = match["dq"] if match["dq"] is not None else match["sq"] or match["bare"] or ""
    return html.unescape(value)


def is_remote(src: str) -> bool:
    return bool(re.match(r"^[a-z][a-z0-9+.-]*:|^//", src, re.IGNORECASE))


def missing_image_placeholder(alt: str, src: str) -> str:
    """A visible stand-in for an image that is not there; ``alt`` is plain text."""
    label = escape_markdown(alt or posixpath.basename(src))
    return (
        f'<span class="gb-missing-image" title="{_html_attr(src)}">'
        f"图片缺失 / missing image: {label} <code>{_html_attr(src)}</code></span>"
    )


def _html_attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


# A backslash escape or a character reference: what Markdown shows of them is one character.
_MARKDOWN_LITERAL_RE = re.compile(
    r"\\([!-/:-@\[-`{-~])|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)


def markdown_alt_text(alt: str) -> str:
    """The plain text a Markdown image's alt shows: `a \\_b &lt; c` → `a _b < c` (the sanitizer
    has already written `<` as `&lt;`; escaping that again would show `&lt;`)."""
    return _MARKDOWN_LITERAL_RE.sub(lambda m: m[1] or html.unescape(m[0]), alt)


def placeholder_missing_images(note: RawNote) -> tuple[RawNote, tuple[Diagnostic, ...]]:
    """Local images that are not beside the notes become a visible placeholder."""
    diagnostics: list[Diagnostic] = []
    assets = note.source.assets

    def exists(src: str) -> bool:
        path = posixpath.normpath(unquote(src.strip().strip("<>")))
        return path in assets

    def check(src: str, line: Line) -> bool:
        if is_remote(src) or exists(src):
            return True
        diagnostics.append(
            Diagnostic(
                Span(note.source.path, line.number),
                Severity.WARNING,
                "missing-image",
                f"image '{src}' not found; shown as placeholder",
                "put the file beside the notes or fix the path",
            )
        )
        return False

    def rewrite_line(line: Line) -> Line:
        def markdown_image(m: re.Match[str]) -> str:
            src = m["src"].strip()
            if check(src, line):
                return m[0]
            return missing_image_placeholder(markdown_alt_text(m["alt"]), src)

        def html_image(m: re.Match[str]) -> str:
            src = _attr(m[0], "src") or ""
            ok = check(src, line)
            return m[0] if ok else missing_image_placeholder(_attr(m[0], "alt") or "", src)

        def rewrite_text(text: str) -> str:
            return HTML_IMAGE_RE.sub(html_image, MARKDOWN_IMAGE_RE.sub(markdown_image, text))

        # An image written in a code span is code: `<img src="x.png">` shows as written.
        parts, pos = [], 0
        for start, end in code_spans(line.text):
            parts += [rewrite_text(line.text[pos:start]), line.text[start:end]]
            pos = end
        text = "".join([*parts, rewrite_text(line.text[pos:])])
        return line if text == line.text else Line(line.number, text)

    def rewrite(section: Section) -> Section:
        fenced = fence_open_lines(section.body)
        body = tuple(ln if ln.number in fenced else rewrite_line(ln) for ln in section.body)
        return replace(section, body=body)

    return _map_sections(note, rewrite), tuple(diagnostics)


# --- raw HTML -------------------------------------------------------------------------------


def sanitize_html(note: RawNote) -> tuple[RawNote, tuple[Diagnostic, ...]]:
    """Raw HTML to an allowlist with nh3 (see sanitize.py); remote images load lazily.

    Runs after the glossary bodies are Markdown (their prose is escaped, their code fenced, so
    neither is mistaken for HTML) and before missing images become placeholders (ours).
    """
    diagnostics: list[Diagnostic] = []

    # Headings stay as written: only a sub-section's heading is shown as Markdown, and only
    # model.py knows which those are (it sanitizes them); titles are always shown as text.
    def rewrite(section: Section) -> Section:
        body, found = sanitize_body(section.body, note.source.path)
        diagnostics.extend(found)
        return replace(section, body=body)

    return _map_sections(note, rewrite), tuple(diagnostics)


def _map_sections(note: RawNote, rewrite: Callable[[Section], Section]) -> RawNote:
    return replace(note, sections=tuple(rewrite(s) for s in note.sections))


# --- brackets that can never close ------------------------------------------------------


def escape_unclosable_brackets(note: RawNote) -> tuple[RawNote, tuple[Diagnostic, ...]]:
    """A `[` that no `]` of its paragraph pairs with opens no link; it is written `\\[`.

    It shows the same either way, but Python-Markdown looks for the end of a link from every
    `[`: a line of 8,000 of them took 10 s to render, 20,000 minutes. Left alone: code (fences,
    code spans), raw HTML blocks and indented lines, where a backslash would show.
    """

    def rewrite(section: Section) -> Section:
        fenced = fence_open_lines(section.body)
        body = list(section.body)
        paragraph: list[int] = []
        for index in [*range(len(body)), len(body)]:
            line = body[index] if index < len(body) else None
            if line is not None and line.text.strip() and line.number not in fenced:
                paragraph.append(index)
                continue
            if paragraph and "[" in "".join(body[i].text for i in paragraph):
                _escape_in_paragraph(body, paragraph)
            paragraph = []
        return replace(section, body=tuple(body))

    return _map_sections(note, rewrite), ()


def _escape_in_paragraph(body: list[Line], paragraph: Sequence[int]) -> None:
    first = body[paragraph[0]].text
    if first.lstrip().startswith("<") or first.startswith(("    ", "\t")):
        return  # raw HTML or indented code: no Markdown inside, a backslash would show
    # Python-Markdown ends a link's text where the brackets after its `[` balance, and its
    # target where the parentheses after `](` do: a `[` the usual pairing leaves unpaired
    # opens nothing (`[[[…]` pairs only the last one), nor does one whose `](` is unpaired.
    # Brackets in an inline tag or autolink count: Python-Markdown finds links before HTML
    # (`[foo<https://x/?q=](uri)>` is a link); but a backslash there would show, so they
    # are never escaped.
    brackets: list[tuple[int, int, str]] = []
    parens: list[tuple[int, int, str]] = []
    in_tags: set[Place] = set()
    for index in paragraph:
        text = body[index].text
        for at, in_tag in _bracket_positions(text):
            (brackets if text[at] in "[]" else parens).append((index, at, text[at]))
            if in_tag:
                in_tags.add((index, at))
    unpaired_brackets, pairs = _pair(brackets)
    unpaired_parens, _ = _pair(parens)
    escape = unpaired_brackets - in_tags
    for opening, (index, at) in pairs:
        if (
            body[index].text[at + 1 : at + 2] == "("
            and (index, at + 1) in unpaired_parens
            and opening not in in_tags
        ):
            escape.add(opening)
    by_line: dict[int, list[int]] = {}
    for index, at in sorted(escape):
        by_line.setdefault(index, []).append(at)
    for index, offsets in by_line.items():
        text = body[index].text
        pieces, pos = [], 0
        for at in offsets:
            pieces += [text[pos:at], "\\"]
            pos = at
        pieces.append(text[pos:])
        body[index] = Line(body[index].number, "".join(pieces))


Place = tuple[int, int]
"""(index of a line in the section's body, offset in it)"""


def _pair(
    marks: Sequence[tuple[int, int, str]],
) -> tuple[set[Place], list[tuple[Place, Place]]]:
    """Pair opening and closing marks in order (each closer takes the latest opener): the
    openers left unpaired, and each pair."""
    open_marks: list[Place] = []
    pairs = []
    for index, at, char in marks:
        if char in "[(":
            open_marks.append((index, at))
        elif open_marks:
            pairs.append((open_marks.pop(), (index, at)))
    return set(open_marks), pairs


_BRACKET_RE = re.compile(r"[\[\]()]")
_INLINE_TAG_RE = re.compile(r"<[A-Za-z/!][^<>]*+>")
# Python-Markdown's `[text](<target> "title")` (its RE_LINK): read before it counts parentheses.
_ANGLE_TARGET_RE = re.compile(
    r"\]\([ \t]*+(?P<target><[^<>\n]*+>[ \t]*+(?:'[^'\n]*+'|\"[^\"\n]*+\")?+)[ \t]*+\)"
)


def _bracket_positions(text: str) -> list[tuple[int, bool]]:
    """Offsets of the brackets and parentheses Markdown's links read as such (not escaped,
    not in code spans or a `(<target>)`), each with whether it is inside an inline HTML tag
    or autolink."""
    if not any(mark in text for mark in "[]()"):
        return []
    hidden = bytearray(len(text))
    for start, end in code_spans(text):
        hidden[start:end] = b"\x01" * (end - start)
    for match in _ANGLE_TARGET_RE.finditer(text):
        if not hidden[match.start()]:
            start, end = match.span("target")
            hidden[start:end] = b"\x01" * (end - start)
    for match in _INLINE_TAG_RE.finditer(text):
        start, end = match.span()
        hidden[start:end] = bytes(b or 2 for b in hidden[start:end])
    positions = []
    for match in _BRACKET_RE.finditer(text):
        at = before = match.start()
        while before > 0 and text[before - 1] == "\\":
            before -= 1
        if (at - before) % 2 == 0 and hidden[at] != 1:
            positions.append((at, hidden[at] == 2))
    return positions


# --- bare URLs -----------------------------------------------------------------------------

# A URL written out in prose: ASCII up to the first blank, quote, angle bracket or non-ASCII
# character (a full-width `）`, `，` or `。` ends it, as in 001:307 `（https://…/hdfview/）`).
_BARE_URL_RE = re.compile(r"(?<![\w/.@:%+-])https?://[!#-&(-;=?-\[\]-_a-~\\]++")
_URL_TRAILING = ".,:;!?*_~'\\"
# What a URL inside is left alone: code spans aside, links and images (text and target),
# tags and autolinks, a reference definition's target.
_URL_PROTECTED_RE = re.compile(
    r"!?\[[^\[\]\n]*+\]\((?:[^()\n]++|\([^()\n]*+\))*+\)"
    r"|<[^<>\n]++>"
    r"|^[ ]{0,3}\[[^\[\]\n]++\]:.*"
)


def _url_end(url: str) -> int:
    """Where a matched URL really ends: trailing punctuation and an unbalanced `)` or `]` are
    the sentence's (`(see https://a.b/c).`)."""
    end = len(url)
    while end > 0:
        char = url[end - 1]
        opening = "(" if char == ")" else "["
        unbalanced = char in ")]" and url.count(char, 0, end) > url.count(opening, 0, end)
        if not (char in _URL_TRAILING or unbalanced):
            break
        end -= 1
    return end


_URL_TEXT_SPECIALS_RE = re.compile(r"[^A-Za-z0-9:/.\-]")


def _url_link(url: str) -> str:
    """An HTML link, not Markdown's `<https://…>`: a line may be inside a raw HTML block, where
    Markdown makes no autolink and a browser would read `<https://x/onmouseover=…>` as a tag.
    Every character of the text but letters, digits and `:/.-` is a character reference, so
    Markdown finds no emphasis or bracket in it, and raw HTML shows it the same."""
    plain = _MARKDOWN_LITERAL_RE.sub(lambda m: m[1] or m[0], url)  # 002's escaped `\_`
    href = plain.replace("&", "&amp;")
    shown = _URL_TEXT_SPECIALS_RE.sub(lambda m: f"&#{ord(m[0])};", plain)
    return f'<a href="{href}">{shown}</a>'


def link_bare_urls(note: RawNote) -> tuple[RawNote, tuple[Diagnostic, ...]]:
    """A bare `https://…` in prose becomes a link (see :func:`_url_link`).

    Python-Markdown links only `<https://…>`; pymdownx.magiclink would link bare URLs but runs
    them on into full-width punctuation (`https://a.b/c，然后`) and skips one right after `（`.
    Only http and https are linked (the URL policy of sanitize.link_url_allowed); code, links,
    images, tags, reference definitions, fences and indented code are left as they are.
    """

    def rewrite_text(text: str) -> str:
        pieces: list[str] = []
        pos = 0
        for match in _BARE_URL_RE.finditer(text):
            end = match.start() + _url_end(match[0])
            if end - match.start() <= len("https://"):
                continue
            pieces += [text[pos : match.start()], _url_link(text[match.start() : end])]
            pos = end
        pieces.append(text[pos:])
        return "".join(pieces)

    def rewrite_line(line: Line) -> Line:
        text = line.text
        if "://" not in text or text.startswith(("    ", "\t")) or text.lstrip().startswith("<"):
            return line
        hidden = sorted([*code_spans(text), *(m.span() for m in _URL_PROTECTED_RE.finditer(text))])
        parts: list[str] = []
        pos = 0
        for start, end in hidden:
            if start < pos:
                continue
            parts += [rewrite_text(text[pos:start]), text[start:end]]
            pos = end
        parts.append(rewrite_text(text[pos:]))
        linked = "".join(parts)
        return line if linked == text else Line(line.number, linked)

    def rewrite(section: Section) -> Section:
        fenced = fence_open_lines(section.body)
        body = tuple(ln if ln.number in fenced else rewrite_line(ln) for ln in section.body)
        return replace(section, body=body)

    return _map_sections(note, rewrite), ()


# --- nesting Python-Markdown cannot take --------------------------------------------------

MAX_NESTING = 40
"""Container levels one line may open (list items, quotes, two columns of indentation each).
Python-Markdown recurses once or twice per level: `- ` 496 times on one line raised
RecursionError and no page was written. The real notes nest 4 deep at most."""
MAX_MARKDOWN_HTML_NESTING = 40
"""Nested raw HTML elements whose content is Markdown (`<div markdown>`): 331 raised."""
MAX_EMPHASIS_DELIMITERS = 200
"""Unescaped `*` and `_` in one line, outside code: 1,987 of each side nested too deep."""

_CONTAINER_MARKER_RE = re.compile(r"[ \t]*+(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))[ \t]?")
_MARKDOWN_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*+)([^<>]*+)>")
_MARKDOWN_ATTRIBUTE_RE = re.compile(r"""\s+markdown(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?""")
_EMPHASIS_RE = re.compile(r"(?<!\\)[*_]")


def limit_nesting(note: RawNote) -> tuple[RawNote, tuple[Diagnostic, ...]]:
    """Nesting deeper than Python-Markdown can render is flattened, its text kept.

    List and quote markers past :data:`MAX_NESTING` on a line are escaped (shown as typed),
    indentation past it is cut to it; a `markdown` attribute past
    :data:`MAX_MARKDOWN_HTML_NESTING` nested elements is dropped (their text is then shown as
    it is); a line with more than :data:`MAX_EMPHASIS_DELIMITERS` `*`/`_` has them escaped.
    """
    diagnostics: list[Diagnostic] = []

    def report(line: Line, what: str) -> None:
        diagnostics.append(
            Diagnostic(
                Span(note.source.path, line.number),
                Severity.WARNING,
                "nesting-depth",
                f"{what}; flattened, its text shown as typed",
                "Markdown cannot render nesting this deep: write it flatter",
            )
        )

    def rewrite(section: Section) -> Section:
        fenced = fence_open_lines(section.body)
        open_markdown: list[str] = []
        body = list(section.body)
        for index, line in enumerate(body):
            if line.number in fenced:
                continue
            text = _flatten_containers(line, report)
            text = _limit_markdown_html(text, open_markdown, line, report)
            text = _limit_emphasis(text, line, report)
            if text != line.text:
                body[index] = Line(line.number, text)
        return replace(section, body=tuple(body))

    return _map_sections(note, rewrite), tuple(diagnostics)


def _flatten_containers(line: Line, report: Callable[[Line, str], None]) -> str:
    text = line.text
    if not text[:1].isspace() and not _CONTAINER_MARKER_RE.match(text):
        return text
    stripped = text.lstrip(" \t")
    indent = len(text[: len(text) - len(stripped)].expandtabs(4))
    markers: list[re.Match[str]] = []
    pos = 0
    while len(markers) <= MAX_NESTING and (marker := _CONTAINER_MARKER_RE.match(text, pos)):
        if marker.end() == pos:
            break
        markers.append(marker)
        pos = marker.end()
    if indent // 2 + len(markers) <= MAX_NESTING:
        return text
    while marker := _CONTAINER_MARKER_RE.match(text, pos):  # the rest, only now
        if marker.end() == pos:
            break
        markers.append(marker)
        pos = marker.end()
    report(line, f"{len(markers)} nested list or quote markers, {indent} columns of indentation")
    allowed = max(0, MAX_NESTING - min(indent, 2 * MAX_NESTING) // 2)
    pieces: list[str] = []
    last = 0
    for marker in markers[allowed:]:
        at = marker.start() + len(marker[0]) - len(marker[0].lstrip(" \t"))
        if text[at].isdigit():
            at = marker.start() + len(marker[0].rstrip(" \t")) - 1  # `1.` → `1\.`
        pieces += [text[last:at], "\\"]
        last = at
    pieces.append(text[last:])
    flattened = "".join(pieces)
    if indent > 2 * MAX_NESTING:
        flattened = " " * (2 * MAX_NESTING) + flattened.lstrip(" \t")
    return flattened


def _limit_markdown_html(
    text: str, open_markdown: list[str], line: Line, report: Callable[[Line, str], None]
) -> str:
    if "<" not in text:
        return text

    def tag(match: re.Match[str]) -> str:
        closing, name = match[1], match[2].lower()
        if closing:
            if open_markdown and open_markdown[-1] == name:
                open_markdown.pop()
            return match[0]
        if not _MARKDOWN_ATTRIBUTE_RE.search(match[3]):
            return match[0]
        if len(open_markdown) >= MAX_MARKDOWN_HTML_NESTING:
            report(line, f"<{name} markdown> nested more than {MAX_MARKDOWN_HTML_NESTING} deep")
            return f"<{match[2]}{_MARKDOWN_ATTRIBUTE_RE.sub('', match[3])}>"
        open_markdown.append(name)
        return match[0]

    return _MARKDOWN_TAG_RE.sub(tag, text)


def _limit_emphasis(text: str, line: Line, report: Callable[[Line, str], None]) -> str:
    if text.count("*") + text.count("_") <= MAX_EMPHASIS_DELIMITERS:
        return text
    pieces: list[str] = []
    pos = 0
    for start, end in [*code_spans(text), (len(text), len(text))]:
        pieces += [_EMPHASIS_RE.sub(r"\\\g<0>", text[pos:start]), text[start:end]]
        pos = end
    escaped = "".join(pieces)
    if escaped.count("\\") - text.count("\\") > MAX_EMPHASIS_DELIMITERS:
        report(line, f"more than {MAX_EMPHASIS_DELIMITERS} emphasis marks (`*`, `_`) on one line")
        return escaped
    return text


RULES: tuple[Rule, ...] = (
    protect_math,
    consume_attribute_lines,
    fence_attribute_lists,
    repair_table_rows,
    indented_bodies,
    literal_empty_headings,
    sanitize_html,
    link_bare_urls,
    placeholder_missing_images,
    escape_unclosable_brackets,
    limit_nesting,
)
"""The normalization rules, in the order they run."""


NormalizedSection = tuple[Section, tuple[Formula, ...], tuple[Diagnostic, ...]]
SectionCache = MutableMapping[Hashable, NormalizedSection]
"""Normalized sections of one note by :func:`section_key` (see :func:`normalize`)."""


def normalize(
    note: RawNote, cache: SectionCache | None = None
) -> tuple[RawNote, tuple[Diagnostic, ...]]:
    """Apply :data:`RULES`, section by section.

    Every rule rewrites one section at a time, seeing only it and what the note says of all of
    them (its path, the images beside it, whether its bodies are indented). So each section is
    normalized on its own, its formulas numbered from 0, then shifted after the formulas of
    the sections before it. With a ``cache`` (``mkdocs serve``: the note was saved), a section
    that did not change is not normalized again; afterwards the cache holds this note's
    sections only.
    """
    previous = dict(cache) if cache is not None else {}
    if cache is not None:
        cache.clear()
    sections: list[Section] = []
    formulas: list[Formula] = []
    diagnostics: list[Diagnostic] = []
    for section in note.sections:
        key = section_key(note, section) if cache is not None else None
        found = previous.get(key) if key is not None else None
        if found is None:
            found = _normalize_section(note, section)
        if cache is not None:
            cache[key] = found
        normalized, own_formulas, own_diagnostics = found
        if own_formulas and formulas:
            normalized = _shift_tokens(normalized, len(formulas))
        sections.append(normalized)
        formulas.extend(own_formulas)
        diagnostics.extend(own_diagnostics)
    return replace(note, sections=tuple(sections), formulas=tuple(formulas)), tuple(diagnostics)


def section_key(note: RawNote, section: Section) -> Hashable:
    """What a section's normalized form is made of (by value: the note was read again)."""
    return (
        note.source.path,
        note.source.assets,
        note.indented_bodies,
        section.level,
        section.heading,
        section.span,
        tuple(line.number for line in section.body),
        "\n".join(line.text for line in section.body),
    )


def _normalize_section(note: RawNote, section: Section) -> NormalizedSection:
    alone = replace(note, sections=(section,), formulas=())
    diagnostics: list[Diagnostic] = []
    for rule in RULES:
        alone, found = rule(alone)
        diagnostics.extend(found)
    return alone.sections[0], alone.formulas, tuple(diagnostics)


def _shift_tokens(section: Section, offset: int) -> Section:
    """The section's formula tokens numbered from ``offset`` instead of 0."""

    def shifted(text: str) -> str:
        if TOKEN_OPEN not in text:
            return text
        return TOKEN_RE.sub(lambda m: token(int(m[1]) + offset), text)

    body = tuple(
        Line(line.number, shifted(line.text)) if TOKEN_OPEN in line.text else line
        for line in section.body
    )
    return replace(section, heading=shifted(section.heading), body=body)
