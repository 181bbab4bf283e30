"""The catalogue check CI runs: Babel's extraction is complete in every language, reviewed, and referenced."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from bot.i18n import LOCALE_DIR, SUPPORTED_LOCALES, catalog_problems, refresh_references, template, translator

CHINESE = [code for code in SUPPORTED_LOCALES if code != "en"]
SIMPLIFIED_ONLY = "".join(
    line
    for line in (Path(__file__).parent / "simplified_only.txt").read_text("utf-8").splitlines()
    if not line.startswith("#")
)


@pytest.fixture(scope="module")
def pot() -> object:
    return template()


def test_extraction_writes_a_template_with_source_references_and_contexts(pot, tmp_path: Path) -> None:
    path = tmp_path / "opsbot.pot"
    with path.open("wb") as fh:
        write_po(fh, pot, width=0)
    text = path.read_text("utf-8")
    assert re.search(r"^#: bot/blocks/help\.py:\d+", text, re.MULTILINE)
    # A button "Close" and a request state "closed" are two entries, each with its own msgctxt.
    assert 'msgctxt "button"\nmsgid "Close"' in text
    assert 'msgctxt "restock state"\nmsgid "closed"' in text


@pytest.mark.parametrize("locale", CHINESE)
def test_every_marked_string_is_translated_and_reviewed(pot, locale: str) -> None:
    problems = catalog_problems(locale, pot)
    assert problems == [], "\n".join(f"{f}:{ln}: {problem}: {m}" for m, f, ln, problem in problems)


def test_the_check_catches_a_missing_an_empty_and_a_fuzzy_entry(pot, tmp_path: Path, monkeypatch) -> None:
    """The same check on a copy of the catalogs where three entries were broken on purpose."""
    import shutil

    import bot.i18n

    copy = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, copy)
    po = copy / "zh_TW" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale="zh_TW")
    catalog.delete("Opsbot commands")
    catalog["nobody yet"].string = ""
    catalog["none"].flags.add("fuzzy")
    with po.open("wb") as fh:
        write_po(fh, catalog)
    monkeypatch.setattr(bot.i18n, "LOCALE_DIR", copy)
    found = {(m, problem) for m, _f, _ln, problem in catalog_problems("zh_TW", pot)}
    assert found == {("Opsbot commands", "missing"), ("nobody yet", "untranslated"), ("none", "fuzzy")}


def test_source_references_in_the_catalogs_are_current(pot) -> None:
    stale = refresh_references(pot, write=False)
    assert stale == [], f"stale #: references in {stale}: run `opsbot i18n refresh`"


def test_traditional_chinese_has_every_file_and_msgid_of_simplified() -> None:
    for po in sorted((LOCALE_DIR / "zh_CN" / "LC_MESSAGES").glob("*.po")):
        twin = LOCALE_DIR / "zh_TW" / "LC_MESSAGES" / po.name
        assert twin.exists(), f"{twin} is missing"
        with po.open("rb") as a, twin.open("rb") as b:
            simplified, traditional = read_po(a), read_po(b)
        assert {(m.id, m.context) for m in simplified} <= {(m.id, m.context) for m in traditional}, po.name


def test_no_simplified_only_character_remains_in_traditional_chinese() -> None:
    assert len(SIMPLIFIED_ONLY) > 2000 and "这" in SIMPLIFIED_ONLY and "後" not in SIMPLIFIED_ONLY
    found = []
    for po in sorted((LOCALE_DIR / "zh_TW" / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as fh:
            for message in read_po(fh):
                strings = message.string if isinstance(message.string, tuple | list) else [message.string]
                for text in strings:
                    bad = sorted({c for c in str(text or "") if c in SIMPLIFIED_ONLY})
                    if bad:
                        found.append(f"{po.name}: {message.id!r}: {''.join(bad)}")
    assert found == []


@pytest.mark.parametrize(
    ("msgid", "taiwan", "not_mainland"),
    [
        ("Opsbot commands", "指令", "命令"),  # a command is 指令 in Taiwan
        ("CVR", "轉換率", "轉化率"),
        ("{file} is empty.", "檔案", "文件"),
        ("Lead time {days} days (the default: lead_time_days in kpi.yml)", "預設", "默認"),
    ],
)
def test_traditional_chinese_uses_taiwan_terms_not_converted_characters(
    msgid: str, taiwan: str, not_mainland: str
) -> None:
    text = translator("zh-TW")._(msgid)
    assert taiwan in text and not_mainland not in text


@pytest.mark.parametrize("locale", CHINESE)
def test_what_each_command_declares_is_translated(locale: str) -> None:
    """Descriptions and usage hints are declared as data (the extractor cannot see them), so they are checked here."""
    from bot.wiring import FEATURES

    tr = translator(locale)
    untranslated = [
        text
        for feature in FEATURES
        for command in feature.commands
        for text in (command.description, command.usage_hint)
        if text and tr._(text) == text
    ]
    assert untranslated == []
