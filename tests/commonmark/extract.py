"""Extract the examples of the vendored CommonMark spec into ``examples.json``.

The spec (``spec-0.31.2.txt``, CC-BY-SA 4.0, see ``LICENSE-spec``) comes from the npm package
``commonmark-spec@0.31.2`` (``npm pack commonmark-spec@0.31.2``). Each example is a block
opened by 32 backticks and ``example``, its Markdown and HTML separated by a ``.`` line; the spec
writes a tab as ``→``. Run ``python tests/commonmark/extract.py`` to regenerate the JSON.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPEC = HERE / "spec-0.31.2.txt"
OUT = HERE / "examples.json"
_FENCE = "`" * 32


def extract(text: str) -> list[dict[str, object]]:
    examples: list[dict[str, object]] = []
    section = ""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#") and not line.startswith("####"):
            section = line.lstrip("#").strip()
        if line == f"{_FENCE} example":
            start = i + 1
            dot = lines.index(".", start)
            end = lines.index(_FENCE, dot + 1)
            markdown = "\n".join(lines[start:dot]).replace("→", "\t")
            html = "\n".join(lines[dot + 1 : end]).replace("→", "\t")
            examples.append(
                {
                    "number": len(examples) + 1,
                    "section": section,
                    "line": start,
                    "markdown": markdown + "\n" if markdown else "",
                    "html": html + "\n" if html else "",
                }
            )
            i = end
        i += 1
    return examples


def main() -> None:
    examples = extract(SPEC.read_text(encoding="utf-8"))
    OUT.write_text(json.dumps(examples, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(examples)} examples written to {OUT.name}")


if __name__ == "__main__":
    main()
