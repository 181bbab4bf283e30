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

import contextlib
import gettext
import io
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Literal

from babel import Locale
from babel.dates import (
    format_date,
    format_datetime,
    format_time,
    format_timedelta,
    get_day_names,
    get_timezone_location,
    get_timezone_name,
)
from babel.lists import format_list
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from babel.numbers import format_currency, format_decimal, format_percent

LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT_LOCALE = "en"
SUPPORTED_LOCALES = ("en", "zh_CN", "zh_TW")
# Babel's extraction keywords: which calls mark a string, and which arguments are msgctxt / msgid / plural.
KEYWORDS: dict[str, Any] = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "NP_": ((1, "c"), 2),
}
# Traditional script is what Taiwan, Hong Kong and Macau read; every other Chinese is Simplified.
_TRADITIONAL = ("zh_tw", "zh_hk", "zh_mo", "zh_hant")
# What each catalog is called in its own language (Babel's names for the script, not the country).
_ENDONYM_LOCALE = {"en": "en", "zh_CN": "zh_Hans", "zh_TW": "zh_Hant"}
_UNITS: tuple[tuple[Literal["day", "hour", "minute", "second"], int], ...] = (
    ("day", 86400),
    ("hour", 3600),
    ("minute", 60),
    ("second", 1),
)
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def normalize_locale(value: str | None) -> str:
    """Map Slack's and the playbooks' spellings (``zh-CN``, ``zh_TW``, ``zh-Hant-HK``, ``en-US``) to a catalog."""
    if not value:
        return DEFAULT_LOCALE
    lowered = value.replace("-", "_").lower()
    if lowered == "zh" or lowered.startswith("zh_"):
        return "zh_TW" if lowered.startswith(_TRADITIONAL) else "zh_CN"
    return DEFAULT_LOCALE


class AnyOf(list[str]):
    """Alternatives, joined with "or" when given to a translation: ``Did you mean {options}?``."""


class Count(int):
    """A count of things (units, cartons) given to a sentence, written the reader's way (1,500) as ``tr.number``
    would, even in an ``OpsError`` built before anyone knows the reader. Plain ints stay as they are: ids, years."""


def NP_(context: str, message: str) -> str:
    """Mark a short label that needs a context (``NP_("button", "Close")``); ``tr.pgettext`` translates it."""
    return message


class Translator:
    """Translates and formats for one locale. Obtain one with :func:`translator`."""

    def __init__(self, locale: str, catalog: gettext.NullTranslations) -> None:
        self.locale = locale
        self._catalog = catalog
        self._babel_locale = Locale.parse(locale)

    def _(self, message: str, /, **params: Any) -> str:
        text = self._catalog.gettext(message)
        return text.format(**self._values(params)) if params else text

    def ngettext(self, singular: str, plural: str, n: int, /, **params: Any) -> str:
        text = self._catalog.ngettext(singular, plural, n)
        return text.format(n=n, **self._values(params))

    def pgettext(self, context: str, message: str, /, **params: Any) -> str:
        """A short label whose meaning depends on where it stands: a button "Close" vs a state "closed"."""
        text = self._catalog.pgettext(context, message)
        return text.format(**self._values(params)) if params else text

    def _values(self, params: dict[str, Any]) -> dict[str, Any]:
        """A list given as a value is joined the reader's way (``a, b, and c`` / ``a、b和c``); ``AnyOf`` with "or".
        A day (a ``date``, e.g. in an ``OpsError``, built before anyone knows the reader) is written the reader's
        way, as ``tr.date`` would; a ``datetime`` is a moment that needs the reader's zone and is left alone."""
        return {key: self._value(value) for key, value in params.items()}

    def _value(self, value: Any) -> Any:
        if isinstance(value, list):
            return self.join(value, "or" if isinstance(value, AnyOf) else "standard")
        if isinstance(value, date) and not isinstance(value, datetime):
            return self.date(value)
        if isinstance(value, Count):
            return self.number(int(value))
        return value

    def join(self, items: Iterable[str], style: Literal["standard", "or"] = "standard") -> str:
        """``a, b, and c`` / ``a、b和c``: never join a list by hand."""
        values = [str(item) for item in items]
        return str(format_list(values, style=style, locale=self._babel_locale)) if values else ""

    def sentences(self, *parts: str) -> str:
        """Translated sentences joined the reader's way: a space between English ones, nothing between Chinese ones
        (their full stop "。" carries its own space; one typed after it shows as a gap)."""
        return ("" if self.locale.startswith("zh") else " ").join(p for p in parts if p)

    def weekdays(self, days: Iterable[str]) -> str:
        """``mon``…``sun`` as the reader's weekday names; three or more days in a row become a range (周一至周五)."""
        index = sorted({_WEEKDAYS.index(d.lower()[:3]) for d in days if d.lower()[:3] in _WEEKDAYS})
        names = get_day_names("abbreviated", locale=self._babel_locale)
        runs: list[list[int]] = []
        for day in index:
            if runs and runs[-1][-1] == day - 1:
                runs[-1].append(day)
            else:
                runs.append([day])
        parts: list[str] = []
        for run in runs:
            if len(run) >= 3:
                parts.append(self._("{first}–{last}", first=names[run[0]], last=names[run[-1]]))
            else:
                parts += [str(names[day]) for day in run]
        return self.join(parts)

    def language_name(self, code: str) -> str:
        """A language as its own speakers name it (English, 中文 (简体)), the way language pickers show it."""
        return str(Locale.parse(_ENDONYM_LOCALE[normalize_locale(code)]).display_name)

    def timezone_name(self, zone: str) -> str:
        """``Asia/Shanghai`` as 中国（上海）时间 / China (Shanghai) Time."""
        try:
            return str(get_timezone_location(zone, locale=self._babel_locale))
        except LookupError:
            return zone

    def zone(self, moment: datetime) -> str:
        """The zone a moment is shown in: its abbreviation for an English reader (CST, CEST, PDT), its name in the
        reader's words for a Chinese one (中国标准时间), who does not read English abbreviations."""
        if self.locale == DEFAULT_LOCALE or moment.tzinfo is None:
            return moment.tzname() or ""
        return str(get_timezone_name(moment, width="long", locale=self._babel_locale))

    def country_name(self, code: str) -> str:
        return str(self._babel_locale.territories.get(code.upper(), code))

    def duration(self, value: timedelta) -> str:
        """``53 days`` / ``53天`` / ``3 小時``: a span in the largest unit it is a whole number of (weeks and months
        are left out: a lead time of 53 days is not "2 months")."""
        seconds = int(value.total_seconds())
        unit = next((u for u, size in _UNITS if seconds and seconds % size == 0), _UNITS[-1][0])
        # A huge threshold keeps Babel from rounding up into a larger unit: the granularity is the unit shown.
        return str(format_timedelta(value, threshold=1e12, granularity=unit, locale=self._babel_locale))

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


def template(source_dir: Path | None = None) -> Catalog:
    """Every marked string in the package, as Babel extracts it: the ``.pot`` (source references, msgctxt)."""
    root = source_dir or Path(__file__).parent
    pot = Catalog(project="opsbot", charset="utf-8", fuzzy=False)
    # Babel warns about f-strings given as *arguments* of a marked call (who=f"<@{user}>"): those are values,
    # not messages, so the warning is noise here.
    with contextlib.redirect_stderr(io.StringIO()):
        found = list(
            extract_from_dir(
                str(root), method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
            )
        )
    for filename, lineno, message, comments, context in found:
        where = (f"{root.name}/{filename}", lineno)
        existing = pot.get(message if isinstance(message, str) else message[0], context)
        if existing is not None:
            existing.locations.append(where)
        else:
            pot.add(message, locations=[where], auto_comments=comments, context=context)
    return pot


def extracted_messages(source_dir: Path | None = None) -> Iterator[tuple[str, str, int]]:
    """Every marked string in the package as (msgid, file, line); plural forms yield both."""
    for message in template(source_dir):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        for msgid in ids:
            if msgid:
                for filename, line in message.locations:
                    yield str(msgid), filename, int(line or 0)


def _po_files(locale: str) -> list[Path]:
    return sorted((LOCALE_DIR / locale / "LC_MESSAGES").glob("*.po"))


def _read(path: Path, locale: str) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


def catalog_msgids(locale: str) -> dict[str, str]:
    """msgid -> translation over all of a locale's catalogs (plural entries keyed by singular and plural)."""
    found: dict[str, str] = {}
    for po_path in _po_files(locale):
        for entry in _read(po_path, locale):
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
    return [(m, f, ln) for m, f, ln, _problem in catalog_problems(locale)]


def _key(message: Message) -> tuple[str, str | None]:
    return (str(message.id[0] if isinstance(message.id, tuple | list) else message.id), message.context)


def catalog_problems(locale: str, pot: Catalog | None = None) -> list[tuple[str, str, int, str]]:
    """What stops ``locale`` from being complete, as (msgid, file, line, problem): a marked string in no catalog
    of the locale, an empty translation, or a fuzzy one (a draft nobody has reviewed)."""
    pot = pot if pot is not None else template()
    translated: dict[tuple[str, str | None], Message] = {}
    for po_path in _po_files(locale):
        for entry in _read(po_path, locale):
            if entry.id:
                translated[_key(entry)] = entry
    problems = []
    for message in pot:
        if not message.id:
            continue
        where = message.locations[0] if message.locations else ("?", 0)
        found = translated.get(_key(message))
        raw = found.string if found is not None else None
        strings = list(raw) if isinstance(raw, tuple | list) else [raw]
        if found is None:
            problem = "missing"
        elif not all(strings):
            problem = "untranslated"
        elif found.fuzzy:
            problem = "fuzzy"
        else:
            continue
        label = f"{message.context}|{_key(message)[0]}" if message.context else _key(message)[0]
        problems.append((label, str(where[0]), int(where[1] or 0), problem))
    return problems


def refresh_references(pot: Catalog | None = None, *, write: bool = True) -> list[Path]:
    """Point every catalog entry's ``#:`` source references at where the string is now; the files that changed.

    With ``write=False`` nothing is written and the files whose references name the wrong *source files* are
    returned: line numbers move with every edit, so only a string that moved to another file (or left) counts
    as stale. The header is kept as written."""
    pot = pot if pot is not None else template()
    changed = []
    for locale in SUPPORTED_LOCALES[1:]:
        for po_path in _po_files(locale):
            catalog = _read(po_path, locale)
            for entry in catalog:
                source = pot.get(*_key(entry)) if entry.id else None
                entry.locations = list(source.locations) if source is not None else []
            buffer = io.BytesIO()
            write_po(buffer, catalog, width=0, omit_header=True, include_previous=False)
            old = po_path.read_text(encoding="utf-8")
            header = old.split("\n\n", 1)[0]  # the header comment and the msgid "" entry
            new = header + "\n\n" + buffer.getvalue().decode("utf-8").lstrip("\n")
            if new != old if write else _without_lines(new) != _without_lines(old):
                changed.append(po_path)
                if write:
                    po_path.write_text(new, encoding="utf-8")
    return changed


def _without_lines(po_text: str) -> str:
    return re.sub(r"(?m)^(#: .*)$", lambda m: re.sub(r":\d+", "", m.group(1)), po_text)


def pick(text: str | dict[str, str], locale: str) -> str:
    """Playbook prose a team wrote itself: a plain string, or {en: ..., zh-CN: ..., zh-TW: ...} by language.

    A missing language falls back to the other Chinese for a Chinese reader (closer than English), then English,
    then whatever is there."""
    if isinstance(text, str):
        return text
    by_locale = {normalize_locale(key): value for key, value in text.items()}
    wanted = normalize_locale(locale)
    order = {"zh_TW": ("zh_TW", "zh_CN"), "zh_CN": ("zh_CN", "zh_TW")}.get(wanted, (wanted,))
    for code in (*order, DEFAULT_LOCALE):
        if by_locale.get(code):
            return by_locale[code]
    return next(iter(text.values()), "")
