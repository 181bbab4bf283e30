"""One translation function for every user-facing string, backed by gettext catalogs.

Catalogs live in ``bot/locale/<locale>/LC_MESSAGES/*.po`` — one ``.po`` file per feature, so
features can be added without editing each other's catalogs. They are compiled in memory
with Babel at first use (no build step, nothing generated in the repository).

Strings are marked where they are written:

    tr._("Restock request {ref} approved by {who}", ref=..., who=...)
    tr.ngettext("{n} blocker", "{n} blockers", n)
    N_("Quantity must be a whole number")       # translated later, e.g. in OpsError

Whole sentences only: never assemble a message from fragments that cannot be translated as one.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date, format_datetime, format_time
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, format_percent

LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT_LOCALE = "en"
SUPPORTED_LOCALES = ("en", "zh_CN")
KEYWORDS: dict[str, Any] = {"_": None, "N_": None, "ngettext": (1, 2)}


def normalize_locale(value: str | None) -> str:
    """Map Slack's and the playbooks' spellings (``zh-CN``, ``zh_CN``, ``zh-Hans``, ``en-US``) to a catalog."""
    if not value:
        return DEFAULT_LOCALE
    lowered = value.replace("-", "_").lower()
    if lowered.startswith("zh"):
        return "zh_CN"
    return DEFAULT_LOCALE


class Translator:
    """Translates and formats for one locale. Obtain one with :func:`translator`."""

    def __init__(self, locale: str, catalog: gettext.NullTranslations) -> None:
        self.locale = locale
        self._catalog = catalog
        self._babel_locale = Locale.parse(locale)

    def _(self, message: str, /, **params: Any) -> str:
        text = self._catalog.gettext(message)
        return text.format(**params) if params else text

    def ngettext(self, singular: str, plural: str, n: int, /, **params: Any) -> str:
        text = self._catalog.ngettext(singular, plural, n)
        return text.format(n=n, **params)

    # Formatting follows the locale: 2026年11月23日 vs Nov 23, 2026; ¥1,234.50 vs CN¥1,234.50.
    def date(self, value: date, fmt: str = "medium") -> str:
        return str(format_date(value, format=fmt, locale=self._babel_locale))

    def time(self, value: time | datetime, fmt: str = "short") -> str:
        return str(format_time(value, format=fmt, locale=self._babel_locale))

    def datetime(self, value: datetime, fmt: str = "medium") -> str:
        return str(format_datetime(value, format=fmt, locale=self._babel_locale))

    def number(self, value: float | int | Decimal, digits: int = 0) -> str:
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return str(format_decimal(value, format=pattern, locale=self._babel_locale))

    def money(self, value: float | Decimal, currency: str) -> str:
        return str(format_currency(value, currency, locale=self._babel_locale))

    def percent(self, value: float, digits: int = 1) -> str:
        pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
        return str(format_percent(value, format=pattern, locale=self._babel_locale))


def _load_catalog(locale: str) -> gettext.NullTranslations:
    folder = LOCALE_DIR / locale / "LC_MESSAGES"
    merged: gettext.NullTranslations = gettext.NullTranslations()
    if locale == DEFAULT_LOCALE or not folder.is_dir():
        return merged  # English is the source language: msgids are the English text.
    chain: gettext.GNUTranslations | None = None
    for po_path in sorted(folder.glob("*.po")):
        with po_path.open("rb") as fh:
            catalog = read_po(fh, locale=locale)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        translations = gettext.GNUTranslations(buffer)
        if chain is None:
            chain = translations
        else:
            chain.add_fallback(translations)
    return chain if chain is not None else merged


@cache
def translator(locale: str | None = None) -> Translator:
    code = normalize_locale(locale)
    return Translator(code, _load_catalog(code))


def extracted_messages(source_dir: Path | None = None) -> Iterator[tuple[str, str, int]]:
    """Every marked string in the package as (msgid, file, line); plural forms yield both."""
    root = source_dir or Path(__file__).parent
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(root), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        messages = message if isinstance(message, tuple) else (message,)
        for msgid in messages:
            if msgid:
                yield msgid, filename, lineno


def catalog_msgids(locale: str) -> dict[str, str]:
    """msgid -> translation over all of a locale's catalogs (plural entries keyed by singular and plural)."""
    found: dict[str, str] = {}
    folder = LOCALE_DIR / locale / "LC_MESSAGES"
    for po_path in sorted(folder.glob("*.po")):
        with po_path.open("rb") as fh:
            catalog = read_po(fh, locale=locale)
        for entry in catalog:
            if not entry.id:
                continue
            ids = [str(i) for i in entry.id] if isinstance(entry.id, tuple | list) else [str(entry.id)]
            raw = entry.string
            strings = [str(s or "") for s in raw] if isinstance(raw, tuple | list) else [str(raw or "")]
            for msgid in ids:
                found[msgid] = strings[0] if all(strings) else ""
    return found


def missing_translations(locale: str = "zh_CN") -> list[tuple[str, str, int]]:
    """Marked strings with no translation in ``locale``: what ``opsbot i18n missing`` prints."""
    known = catalog_msgids(locale)
    return [(m, f, ln) for m, f, ln in extracted_messages() if not known.get(m)]


def pick(text: str | dict[str, str], locale: str) -> str:
    """Playbook prose a team wrote itself: a plain string, or {en: ..., zh-CN: ...} by language."""
    if isinstance(text, str):
        return text
    by_locale = {normalize_locale(key): value for key, value in text.items()}
    return by_locale.get(normalize_locale(locale)) or by_locale.get(DEFAULT_LOCALE) or next(iter(text.values()), "")
