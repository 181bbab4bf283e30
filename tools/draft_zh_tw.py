"""Draft bot/locale/zh_TW from bot/locale/zh_CN: OpenCC's Simplified-to-Taiwan phrases, then our own terms.

A development tool, not a runtime dependency: ``pip install opencc-python-reimplemented`` first.
Entries already in a zh_TW catalog are kept as they are (they were reviewed); only new msgids are drafted,
marked fuzzy so that the catalogue check fails until a reader fluent in Taiwan usage has looked at them and
removed the flag. ``python tools/draft_zh_tw.py [--all]`` (``--all`` redrafts everything, not fuzzy).
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po
from opencc import OpenCC

LOCALE = Path(__file__).resolve().parents[1] / "bot" / "locale"
# Where OpenCC's Taiwan phrases are not how a Taiwanese operations team writes (reviewed by hand).
TERMS = {
    "資訊": "訊息",  # 信息 in a chat is a message, not "information"
    "消息": "訊息",
    "命令": "指令",
    "私信": "私訊",
    "程式碼": "代碼",  # a country or marketplace code, not source code
    "最多隻": "最多只",
    "單元格": "儲存格",
    "關鍵詞": "關鍵字",
    "配置": "設定",
    "模板": "範本",
    "覆盤": "檢討",
    "點選": "點擊",  # ads: 點擊率, 點擊量
    "轉化": "轉換",
    "賬": "帳",
    "後臺": "後台",
    "首周": "首週",
    "質檢": "品檢",
    "調研": "調查",
    "訪問量": "造訪次數",
    "斷貨": "缺貨",
    "入倉": "入庫",
    "早上好": "早安",
    "發貨": "出貨",
    "批准": "核准",
    "審批": "審核",
    "反饋": "回饋",
    "運營": "營運",
    "質量": "品質",
    "默認": "預設",
    "“": "「",
    "”": "」",
}


def draft(text: str, converter: OpenCC) -> str:
    out = converter.convert(text)
    for simplified_usage, taiwan in TERMS.items():
        out = out.replace(simplified_usage, taiwan)
    return out


def main(redraft_all: bool) -> None:
    converter = OpenCC("s2twp")
    for source in sorted((LOCALE / "zh_CN" / "LC_MESSAGES").glob("*.po")):
        target = LOCALE / "zh_TW" / "LC_MESSAGES" / source.name
        with source.open("rb") as fh:
            simplified = read_po(fh, locale="zh_CN")
        existing = None
        if target.exists() and not redraft_all:
            with target.open("rb") as fh:
                existing = read_po(fh, locale="zh_TW")
        simplified.locale = "zh_TW"  # type: ignore[assignment]
        simplified.header_comment = simplified.header_comment.replace(
            "Simplified Chinese", "Traditional Chinese (Taiwan)"
        )
        for message in simplified:
            if not message.id:
                continue
            kept = existing.get(message.id, message.context) if existing is not None else None
            if kept is not None and kept.string and not kept.fuzzy:
                message.string = kept.string
                continue
            if isinstance(message.string, tuple | list):
                message.string = tuple(draft(s, converter) for s in message.string)
            elif message.string:
                message.string = draft(message.string, converter)
            if existing is not None:
                message.flags.add("fuzzy")
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as fh:
            write_po(fh, simplified, width=0, omit_header=False)


if __name__ == "__main__":
    main("--all" in sys.argv)
