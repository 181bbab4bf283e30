"""Regenerate tests/i18n/simplified_only.txt from OpenCC's character tables.

A development tool: ``pip install opencc-python-reimplemented`` first.

A character is Simplified-only when OpenCC maps it to Traditional forms that do not include itself, and it is not
itself a Traditional character (后, 面 and 里 are both, so they stay allowed).
"""

from __future__ import annotations

from pathlib import Path

import opencc

TABLES = Path(opencc.__file__).parent / "dictionary"
TARGET = Path(__file__).resolve().parents[1] / "tests" / "i18n" / "simplified_only.txt"


def main() -> None:
    traditional = {line.split("\t")[0] for line in (TABLES / "TSCharacters.txt").read_text("utf-8").splitlines()}
    only = []
    for line in (TABLES / "STCharacters.txt").read_text("utf-8").splitlines():
        key, values = line.split("\t")
        if key not in values.split() and key not in traditional:
            only.append(key)
    text = "".join(sorted(only))
    header = TARGET.read_text("utf-8").splitlines()[:3]
    TARGET.write_text("\n".join([*header, *(text[i : i + 80] for i in range(0, len(text), 80))]) + "\n", "utf-8")


if __name__ == "__main__":
    main()
