"""MkDocs files whose rebuild under ``mkdocs serve --dirty`` the plugin decides."""

from __future__ import annotations

from mkdocs.structure.files import File, Files

__all__ = ["ReusableFile", "decidable_pages"]


class ReusableFile(File):
    """A page MkDocs rebuilds only when the plugin says so (glossary_build/page_reuse.py).

    MkDocs' own test (``is_modified``: the source is newer than the output) cannot see that a
    page's nav, links or generated Markdown changed; with ``rebuild`` set, the plugin's answer
    is used instead. Unset, the file behaves as any other.
    """

    rebuild: bool | None = None

    def is_modified(self) -> bool:
        """Whether MkDocs rebuilds the page: as decided (``rebuild``), else by its mtime."""
        return super().is_modified() if self.rebuild is None else self.rebuild

    @classmethod
    def copy_of(cls, file: File) -> ReusableFile:
        """The same file (hand-written, from docs/) as one whose rebuild can be decided."""
        copy = cls(
            file.src_path,
            file.src_dir,
            file.dest_dir,
            file.use_directory_urls,
            dest_uri=file.dest_uri,
            inclusion=file.inclusion,
        )
        copy.__dict__.update(file.__dict__)
        return copy


def decidable_pages(files: Files) -> None:
    """Make every documentation page of ``files`` a :class:`ReusableFile` (before pages exist)."""
    for file in list(files.documentation_pages()):
        if not isinstance(file, ReusableFile):
            files.remove(file)
            files.append(ReusableFile.copy_of(file))
