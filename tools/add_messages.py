"""Add translated entries to a feature's catalogs in both Chinese locales (a development helper).

    python tools/add_messages.py restock.po entries.tsv

Each line of the TSV file: msgctxt (may be empty), msgid, zh_CN, zh_TW. ``\\n`` in a field is a newline.
Entries already present are replaced; the header is kept as written; run ``opsbot i18n refresh`` afterwards.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

LOCALE = Path(__file__).resolve().parents[1] / "bot" / "locale"


def main(po_name: str, tsv: Path) -> None:
    rows = [line.split("\t") for line in tsv.read_text("utf-8").splitlines() if line.strip()]
    for column, locale in ((2, "zh_CN"), (3, "zh_TW")):
        path = LOCALE / locale / "LC_MESSAGES" / po_name
        old = path.read_text("utf-8")
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=locale)
        for row in rows:
            context, msgid = row[0] or None, row[1].replace("\\n", "\n")
            if catalog.get(msgid, context) is not None:
                catalog.delete(msgid, context)
            catalog.add(msgid, row[column].replace("\\n", "\n"), context=context)
        buffer = io.BytesIO()
        write_po(buffer, catalog, width=0, omit_header=True)
        path.write_text(old.split("\n\n", 1)[0] + "\n\n" + buffer.getvalue().decode("utf-8").lstrip("\n"), "utf-8")


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
