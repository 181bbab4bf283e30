"""Every console demo scene played as an English team: no Chinese and no raw keys reach the reader.

The English-team variant of tests/i18n/test_scenes_in_chinese.py (tests/i18n/scenes.py plays the scenes for both).
The team's language is ``en`` and every person's Slack is ``en-US``. Once the people's own typing and the
terminal's chrome are set aside, Opsbot's text holds no CJK character (a Chinese label or playbook text leaking
past its language), no raw key (``role.manager``, ``category.quality``) and no placeholder left unfilled
(``{sku}``, ``%(n)s``).
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.i18n.scenes import NOT_WORDS, opsbot_lines, play_every_scene

# CJK ideographs and their punctuation (、，：（）「」…); "·" and "—" are English punctuation too.
CJK = re.compile(r"[\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")
KEY = re.compile(r"(?<![\w.])[a-z]+(?:_[a-z]+)*(?:\.[a-z]+(?:_[a-z]+)*)+(?![\w.])")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdrf]|\{\w*(?:![rsa])?(?::[^{}]*)?\}")
# Lower-case words joined by a dot that an English reader sees as they are.
NOT_KEYS = {"e.g", "i.e"}


def _not_english(output: str, typed: list[str]) -> list[str]:
    found = []
    for line, text in opsbot_lines(output, typed):
        shown = line.strip()
        found += [f"{match!r} in {shown!r}" for match in CJK.findall(text)]
        found += [f"{match!r} in {shown!r}" for match in PLACEHOLDER.findall(text)]
        keys = KEY.findall(NOT_WORDS.sub(" ", text))
        found += [f"{match!r} in {shown!r}" for match in keys if match not in NOT_KEYS]
    return found


def test_every_scene_reads_in_english(playbooks_dir: Path, tmp_path: Path) -> None:
    problems = play_every_scene("en", playbooks_dir, tmp_path, _not_english)
    assert problems == [], f"{len(problems)} things an English reader cannot read:\n" + "\n".join(problems)


def test_the_scan_flags_chinese_keys_and_placeholders_and_lets_typing_through() -> None:
    shown = "  *Restock R-1* · 交期 53 days\n  ── DM with 李伟\n  Owner: role.manager · {sku} · %(n)s left\n"
    shown += "  See restock.yml, e.g. the LED-100 row, at https://example.com/a.b"
    assert _not_english(shown, []) == [
        "'交期' in '*Restock R-1* · 交期 53 days'",
        "'{sku}' in 'Owner: role.manager · {sku} · %(n)s left'",
        "'%(n)s' in 'Owner: role.manager · {sku} · %(n)s left'",
        "'role.manager' in 'Owner: role.manager · {sku} · %(n)s left'",
    ]
    assert _not_english("  Note: 客户说灯光闪烁", ["客户说灯光闪烁"]) == []
