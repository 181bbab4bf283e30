"""Taiwan usage in the zh_TW catalogs where it differs from a character conversion of the Simplified text."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po

from bot.i18n import LOCALE_DIR

# In Taiwan 欄 is a column and 列 a row (the other way round from 列 = column on the mainland); 列表, 列出 and 列有
# (a list, to list, to list it) are other words and stay.
COLUMN = re.compile(r"\bcolumns?\b", re.IGNORECASE)
ROW_OR_COLUMN_列 = re.compile(r"列(?![表出有])")


def _entries() -> list[tuple[str, str, str]]:
    found = []
    for po in sorted((LOCALE_DIR / "zh_TW" / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as fh:
            for message in read_po(fh, locale="zh_TW"):
                if not message.id:
                    continue
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                found += [(po.name, str(i), str(s or "")) for i, s in zip(ids, strings, strict=False)]
    return found


def test_a_column_is_欄_in_taiwan() -> None:
    wrong = [f"{name}: {msgid!r} -> {text!r}" for name, msgid, text in _entries()
             if COLUMN.search(msgid) and (ROW_OR_COLUMN_列.search(text) or "欄" not in text)]
    assert wrong == [], "\n".join(wrong)


def test_列_is_never_a_column_in_taiwan() -> None:
    """An entry that does not say "column" may still mean one (a header "has 3 列"). A file's row is written 行 here,
    as a Taiwan editor numbers lines (第 12 行), so no 列 of its own is left in a Traditional catalog."""
    wrong = [f"{name}: {msgid!r} -> {text!r}" for name, msgid, text in _entries() if ROW_OR_COLUMN_列.search(text)]
    assert wrong == [], "\n".join(wrong)
