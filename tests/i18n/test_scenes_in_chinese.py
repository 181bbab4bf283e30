"""Every console demo scene played as a Simplified and a Traditional Chinese team: no English reaches the reader.

The team's language and every person's Slack locale are Chinese (tests/i18n/scenes.py plays the scenes). What the
scenes' people typed is theirs and the terminal's chrome is not Slack's; what remains is Opsbot's text, where any
run of three or more ASCII letters must be a name, code or term on the allow-list below.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.i18n.scenes import NOT_WORDS, opsbot_lines, play_every_scene

# Names, codes and terms a Chinese operations team writes in Latin letters too.
ALLOWED = {
    # products, people, places, the team and its channels
    "LED",
    "Desk",
    "Lamp",
    "Shenzhen",
    "Ops",
    "Lighting",
    "Dongguan",
    "Power",
    "Electronics",
    "Li",
    "Wei",
    "Zhang",
    "Min",
    "Chen",
    "Jie",
    "Amy",
    "Lin",
    "Wang",
    "Fang",
    "Klaus",
    "Becker",
    "Liu",
    "Yang",
    "Sara",
    "Kim",
    "Guest",
    "Gao",
    "ops",
    "purchasing",
    "marketing",
    "manager",
    "data",
    "launches",
    "random",
    "supplier",
    "chat",
    "launch",
    "led",
    "desk",
    "lamp",
    "COSCO",
    "COSU",
    "Opsbot",
    "Slack",
    # trade terms and metrics as the team writes them
    "SKU",
    "SKUs",
    "ASIN",
    "FBA",
    "GMV",
    "ACoS",
    "TACoS",
    "ROAS",
    "CVR",
    "CTR",
    "CPC",
    "AOV",
    "KPI",
    "MOQ",
    "ETA",
    "FAQ",
    "VAT",
    "JCT",
    "EPR",
    "PSE",
    "UKCA",
    "FCC",
    "BFCM",
    "Listing",
    "listing",
    "Go",
    "No",
    "go",
    "CSV",
    "PNG",
    "Amazon",
    "Shopify",
    "CNY",
    "USD",
    "EUR",
    "GBP",
    "JPY",
    "PO",
}


def _foreign_words(output: str, typed: list[str]) -> list[str]:
    found = []
    for line, text in opsbot_lines(output, typed):
        for word in re.findall(r"[A-Za-z]{3,}", NOT_WORDS.sub(" ", text)):
            if word not in ALLOWED:
                found.append(f"{word!r} in {line.strip()!r}")
    return found


@pytest.mark.parametrize("language", ["zh-CN", "zh-TW"])
def test_every_scene_reads_in_chinese(language: str, playbooks_dir: Path, tmp_path: Path) -> None:
    problems = play_every_scene(language, playbooks_dir, tmp_path, _foreign_words)
    assert problems == [], f"{len(problems)} English words reached a {language} reader:\n" + "\n".join(problems)


def test_the_scan_flags_english_and_lets_names_and_codes_through() -> None:
    shown = "  *Suggestion: 500 units* · 🟢 ok\n  ── #ops · only visible to Li Wei\n"
    shown += "  R-1 · LED-100 · @Li Wei · #purchasing · 交期"
    assert _foreign_words(shown, []) == [
        "'Suggestion' in '*Suggestion: 500 units* · 🟢 ok'",
        "'units' in '*Suggestion: 500 units* · 🟢 ok'",
    ]
    assert _foreign_words("  备注：Q1 promotion in the US", ["Q1 promotion in the US"]) == []
