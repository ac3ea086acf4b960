"""Values passed between the pipeline stages.

Every stage takes and returns frozen dataclasses; nothing here does I/O.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NewType

from .codes import Code

if TYPE_CHECKING:
    from .graph import ConceptGraph
    from .related import Suggestion

Slug = NewType("Slug", str)
"""An ASCII, URL-safe identifier of a concept or a note."""

PagePath = NewType("PagePath", str)
"""A generated page's path relative to the docs directory, e.g. ``concepts/tensor.md``."""


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """Where something came from: a note's path (as the reader sees it) and a 1-based line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


class Severity(enum.Enum):
    """How bad a diagnostic is: an error fails ``check``, a warning fails ``--strict``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A problem found in a note, returned as data; adapters decide to print or fail."""

    span: Span
    severity: Severity
    code: Code
    """What kind of problem (glossary_build/codes.py): what ``quiet:`` names."""
    message: str
    hint: str = ""

    def format(self) -> str:
        """``path:line: level: message (hint)``, as printed."""
        text = f"{self.span}: {self.severity.value}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One note as read from ``concepts/``."""

    path: str
    """Path relative to the project root, e.g. ``concepts/深度学习术语表.md``."""
    text: str
    assets: frozenset[str] = frozenset()
    """Paths (relative to the note's directory, ``/``-separated) of files beside the notes."""

    @property
    def name(self) -> str:
        """The note's readable name: its file name without the extension."""
        file_name = self.path.rsplit("/", 1)[-1]
        stem = file_name.rsplit(".", 1)[0] if "." in file_name else file_name
        # `..md` or `.md`: no name but dots, so the file name is the most readable one.
        return stem if stem.strip(".") else file_name


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a note's body with its 1-based line number in the note."""

    number: int
    text: str


@dataclass(frozen=True, slots=True)
class Formula:
    """One formula as the author wrote it (the TeX without its delimiters)."""

    tex: str
    display: bool
    span: Span
    notation: str
    """``$``, ``$$``, ``fence`` (```` ```KaTeX ````) or ``span`` (`` `KaTeX:..` ``)."""


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and the lines up to the next heading (level 0: text before any heading)."""

    level: int
    heading: str
    span: Span
    body: tuple[Line, ...]

    @property
    def owns_text(self) -> bool:
        """Whether any line of its body has text."""
        return any(line.text.strip() for line in self.body)


@dataclass(frozen=True, slots=True)
class RawNote:
    """A parsed note: front matter plus its sections in document order."""

    source: SourceFile
    front_matter: Mapping[str, Any]
    sections: tuple[Section, ...]
    indented_bodies: bool = False
    """True for glossary-style notes whose every body line is indented four spaces."""
    formulas: tuple[Formula, ...] = ()
    """The note's formulas; the text holds a token in place of each (see math.py)."""


@dataclass(frozen=True, slots=True)
class Heading:
    """A concept heading split into what a reader calls it."""

    title: str
    aliases: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    """Markers such as ``*`` or ``todo`` the author put after the title."""
    attributes: tuple[str, ...] = ()
    """Attribute-list classes such as ``.col-span-3`` consumed from the heading."""


@dataclass(frozen=True, slots=True)
class SubSection:
    """A heading below a concept's, with its body: part of the concept's page."""

    depth: int
    """1 for a heading one level below the concept's, 2 for two levels, ..."""
    title: str
    span: Span
    body: tuple[Line, ...]


@dataclass(frozen=True, slots=True)
class Concept:
    """One glossary entry: the unit that becomes a page."""

    heading: Heading
    raw_heading: str
    note: str
    """The note's readable name."""
    groups: tuple[str, ...]
    """Titles of the enclosing group headings, outermost first."""
    span: Span
    body: tuple[Line, ...]
    subsections: tuple[SubSection, ...] = ()
    group_aliases: tuple[tuple[str, ...], ...] = ()
    """The aliases of each of ``groups`` (`## 多输出分类 & 多输出多分类 (Multi-output)`)."""

    @property
    def title(self) -> str:
        """Its heading's title."""
        return self.heading.title

    @property
    def is_empty(self) -> bool:
        """Whether it has no text, in its body or in a subsection."""
        return not any(line.text.strip() for line in self.body) and not self.subsections

    def all_lines(self) -> Iterator[Line]:
        """Its body, then each subsection's body, in note order."""
        yield from self.body
        for sub in self.subsections:
            yield from sub.body


@dataclass(frozen=True, slots=True)
class GroupHeading:
    """A heading above the concept level: it files the concepts under it."""

    path: tuple[str, ...]
    """Its title after the titles of the groups around it, outermost first."""
    written: str
    """The heading as the author wrote it (theme attributes aside, formulas as TeX)."""
    span: Span


@dataclass(frozen=True, slots=True)
class NoteOutline:
    """A note as the model sees it: its concepts, groups and the level it uses for concepts."""

    source: SourceFile
    front_matter: Mapping[str, Any]
    concept_level: int
    concepts: tuple[Concept, ...]
    groups: tuple[tuple[str, ...], ...]
    """Every group path in document order (also those without concepts)."""
    preamble: tuple[Line, ...] = ()
    """Text before the first heading."""
    formulas: tuple[Formula, ...] = ()
    group_headings: tuple[GroupHeading, ...] = ()
    """Every group heading in document order (``groups`` lists each path once)."""


@dataclass(frozen=True, slots=True)
class Part:
    """One source's version of a concept on a merged page."""

    concept: Concept
    formulas: tuple[Formula, ...]
    """The formulas of the note the concept comes from (its text holds their tokens)."""
    same_as: int | None = None
    """Index of an earlier part with the same text: this one is only attributed."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One page: a concept as written in one or more places."""

    slug: Slug
    path: PagePath
    parts: tuple[Part, ...]
    # Made from the parts once (every stage asks for them, for every entry, every build).
    title_part: Part = field(init=False, repr=False, compare=False)
    """The part with the shortest title (`SOTA 模型` rather than `SOTA 模型概念`)."""
    aliases: tuple[str, ...] = field(init=False, repr=False, compare=False)
    """Every part's aliases, and the other parts' titles where they differ."""

    def __post_init__(self) -> None:
        title_part = min(self.parts, key=lambda p: len(p.concept.title))
        names: list[str] = []
        for part in self.parts:
            heading = part.concept.heading
            names.extend([heading.title, *heading.aliases])
        title = title_part.concept.title
        object.__setattr__(self, "title_part", title_part)
        object.__setattr__(self, "aliases", tuple(n for n in dict.fromkeys(names) if n != title))

    @property
    def primary(self) -> Concept:
        """The concept of its first part (its first note)."""
        return self.parts[0].concept

    @property
    def title(self) -> str:
        """The page's title: that of the part the title is taken from."""
        return self.title_part.concept.title


@dataclass(frozen=True, slots=True)
class Merge:
    """A concept found in several places: the title and each source, with identical ones."""

    title: str
    sources: tuple[Span, ...]
    identical: tuple[bool, ...]


@dataclass(frozen=True, slots=True)
class NoteStats:
    """One note's figures, as ``glossary-build stats`` prints them."""

    note: str
    path: str
    concepts: int
    groups: int
    subsections: int
    code_blocks: int
    images: int
    formulas: int
    empty_concepts: int
    formulas_rendered: int = 0


@dataclass(frozen=True, slots=True)
class GraphStats:
    """The whole site's figures: concepts, names, merges, links."""

    concepts: int
    aliases: int
    ambiguous_aliases: int
    merges: int
    cross_links: int
    pages_with_backlinks: int


@dataclass(frozen=True, slots=True)
class Published:
    """A concept page as the map remembers it."""

    title: str
    names: tuple[str, ...]
    note: str
    """The path of the note its (first) text is in."""
    body: str
    """A digest of that text: how a renamed concept is recognised."""
    gone: bool = False
    """Removed: its URL redirects."""


@dataclass(frozen=True, slots=True)
class UrlMap:
    """Every URL ever published, by kind: what glossary-urls.json holds."""

    concepts: Mapping[Slug, Published] = field(default_factory=dict)
    notes: Mapping[Slug, tuple[str, bool]] = field(default_factory=dict)
    """Note page slug → (the note's path, gone)."""
    groups: Mapping[Slug, tuple[str, bool]] = field(default_factory=dict)
    """Group page slug → (the group's titles joined by `` › ``, gone)."""

    def decisions(self) -> tuple[object, ...]:
        """What the map decides about URLs (not how it recognises concepts)."""
        return (
            sorted((s, p.gone) for s, p in self.concepts.items()),
            sorted(self.notes.items()),
            sorted(self.groups.items()),
        )


@dataclass(frozen=True, slots=True)
class Redirect:
    """An old address and where it leads now."""

    page: PagePath
    """The page path the old URL was made from (``concepts/old.md``)."""
    target: PagePath
    title: str
    """What was there, for the notice."""


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What :func:`glossary_build.build` returns: the pages, the nav, the diagnostics, the model."""

    pages: Mapping[PagePath, str]
    nav: tuple[Any, ...]
    """MkDocs ``nav`` entries for the generated pages."""
    diagnostics: tuple[Diagnostic, ...]
    stats: tuple[NoteStats, ...]
    notes: tuple[NoteOutline, ...] = field(default=())
    entries: tuple[Entry, ...] = field(default=())
    merges: tuple[Merge, ...] = field(default=())
    graph: GraphStats | None = None
    note_pages: Mapping[str, PagePath] = field(default_factory=dict)
    """Each note's overview page, by the note's path."""
    concept_graph: ConceptGraph | None = None
    """The entries and their cross-links as a graph (see graph.py)."""
    related: tuple[tuple[Suggestion, ...], ...] = ()
    """Each entry's related concepts, as its page lists them."""
    url_map: UrlMap | None = None
    """The URL map after this build (None: the build used none); see urls.py."""
    url_changes: tuple[str, ...] = ()
    """The URL decisions it makes that the map read did not (new pages, redirects)."""
    redirects: tuple[Redirect, ...] = ()
    """Old addresses that lead elsewhere now."""

    @property
    def has_errors(self) -> bool:
        """Whether any diagnostic is an error."""
        return any(d.severity is Severity.ERROR for d in self.diagnostics)


__all__ = [
    "BuildResult",
    "Concept",
    "Diagnostic",
    "Entry",
    "Formula",
    "GraphStats",
    "GroupHeading",
    "Heading",
    "Line",
    "Merge",
    "NoteOutline",
    "NoteStats",
    "PagePath",
    "Part",
    "Published",
    "RawNote",
    "Redirect",
    "Section",
    "Severity",
    "Slug",
    "SourceFile",
    "Span",
    "SubSection",
    "UrlMap",
]
