"""Every user-facing string goes through the catalog, and Chinese is complete."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from bot.i18n import (
    KEYWORDS,
    catalog_msgids,
    extracted_messages,
    missing_translations,
    normalize_locale,
    translator,
)

BOT = Path(__file__).resolve().parent.parent / "bot"
# Modules whose string literals reach people: every sentence there must be marked for translation.
USER_FACING = [*sorted((BOT / "blocks").glob("*.py")), *sorted((BOT / "handlers").glob("*.py"))]


def test_every_marked_string_has_a_chinese_translation() -> None:
    missing = missing_translations("zh_CN")
    assert missing == [], "untranslated strings:\n" + "\n".join(f"{f}:{ln}: {m}" for m, f, ln in missing)


def test_marked_strings_are_all_seen_by_the_extractor() -> None:
    """A call like tr._(...) hidden inside an f-string is invisible to Babel and would never be translated."""
    extracted = {(Path(f).name, m) for m, f, _ in extracted_messages()}
    in_source: set[tuple[str, str]] = set()
    for path in BOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name in KEYWORDS:
                    # pgettext(context, message): the context is not a message.
                    for arg in node.args[1:2] if name in ("pgettext", "NP_") else node.args[:2]:
                        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                            in_source.add((path.name, arg.value))
    assert in_source - extracted == set()


def _sentences_outside_the_catalog(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    allowed: set[int] = set()
    for node in ast.walk(tree):
        # Docstrings (help text goes through the catalog by its msgid), translation calls, logging.
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Module) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                allowed.add(id(first.value))
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            owner = getattr(func.value, "id", "") if isinstance(func, ast.Attribute) else ""
            if (
                name in KEYWORDS
                or owner in ("log", "logger", "logging")
                or name
                in (
                    "SlashCommand",
                    "Shortcut",
                    "Feature",
                    "OpsError",
                )
            ):
                for inner in ast.walk(node):
                    allowed.add(id(inner))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in allowed:
            words = [w for w in node.value.split() if any(c.isalpha() for c in w)]
            if len(words) >= 3:
                found.append(f"{path.name}:{node.lineno}: {node.value!r}")
    return found


@pytest.mark.parametrize("path", USER_FACING, ids=lambda p: p.name)
def test_no_sentence_in_blocks_or_handlers_bypasses_the_catalog(path: Path) -> None:
    assert _sentences_outside_the_catalog(path) == []


def test_the_check_above_catches_a_bare_sentence(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('def f(tr):\n    return {"text": "Your request was approved"}\n', encoding="utf-8")
    assert _sentences_outside_the_catalog(sample) == ["sample.py:2: 'Your request was approved'"]


def test_slack_locales_map_to_catalogs() -> None:
    assert normalize_locale("zh-CN") == "zh_CN"
    assert normalize_locale("zh-TW") == "zh_TW"
    assert normalize_locale("en-US") == "en"
    assert normalize_locale("ja-JP") == "en"
    assert normalize_locale(None) == "en"


def test_dates_numbers_and_money_follow_the_locale() -> None:
    en, zh = translator("en-US"), translator("zh-CN")
    assert en.date(date(2026, 11, 23)) == "Nov 23, 2026"
    assert zh.date(date(2026, 11, 23)) == "2026年11月23日"
    assert en.money(5216.29, "USD") == "$5,216.29"
    assert zh.money(12800, "JPY") == "JP¥12,800"
    assert en.percent(0.0451) == "4.5%"
    assert en.number(3395) == "3,395"


def test_chinese_translation_is_used_and_english_is_the_source() -> None:
    assert translator("zh-CN")._("Team {name}", name="深圳") == "团队 深圳"
    assert translator("en")._("Team {name}", name="Shenzhen") == "Team Shenzhen"
    assert catalog_msgids("zh_CN")["Opsbot commands"] == "Opsbot 命令"
