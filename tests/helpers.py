"""Shared test helpers: the real corpus and the seeds it was imported from."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONCEPTS = ROOT / "concepts"
SEEDS = ROOT.parent / "shared" / "seeds"

# concepts/ file name → the seed it was imported from, byte for byte.
CORPUS = {
    "常见概念-初稿.md": "000_0e80685a88148d63.txt",
    "常见概念-修订版.md": "001_d8c56c6f52285245.txt",
    "深度学习术语表.md": "002_ec0906074ab515ea.txt",
    "早期草稿.md": "003_1d0506b7c13baa85.txt",
    "HandsOnML-第11章问答.md": "004_c6f28479de637059.txt",
}
