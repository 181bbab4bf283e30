"""How sellers write, as words: Chinese cut into words by jieba, English words reduced to their stem.

A rule in playbooks/feedback.yml is a word or a phrase of words, never a substring: 跟卖 ("hijack a listing")
is not found in 跟卖家沟通 ("talk with the seller"), and "flicker" is found in "flickers", "flickering" and
"flickered" but not in "flickr". A rule may leave a gap, "raise … price" ("raise the LED-200 price"), and a
percentage is a word of its own: "+N%" is any rise given as a signed percentage ("+8%"), "N%" any other.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import cache

import jieba  # type: ignore[import-untyped]

jieba.setLogLevel(logging.WARNING)  # it announces loading its dictionary on the root of its own logger

_PIECES = re.compile(
    r"(?P<cjk>[\u3400-\u9fff\uf900-\ufaff]+)"
    r"|(?P<pct>(?P<sign>[+＋\-−]?)\s?\d+(?:[.,]\d+)?\s?[%％])"
    r"|(?P<any_pct>[+\-]?N%)"  # how a rule writes "any percentage"
    r"|(?P<word>[^\W_]+)"
)
_GAP = re.compile(r"\s*(?:…|\.\.\.)\s*")
# Words a rule may skip over between the parts of "raise … price": close enough to be about each other.
MAX_GAP = 3
RULE_WEIGHT = 5


def stem(word: str) -> str:
    """An English word without its inflection, so a rule's word matches its forms (a light stemmer)."""
    if not (word.isascii() and word.isalpha()) or len(word) <= 3:
        return word
    if word.endswith("ies"):
        word = word[:-3] + "y"
    elif word.endswith(("sses", "xes", "zes", "ches", "shes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]  # stopped → stop, shipping → ship
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


class Words:
    """Cuts text into words, knowing the rules' own Chinese words so that jieba keeps each of them whole."""

    def __init__(self, rules: Iterable[str]) -> None:
        self._jieba = jieba.Tokenizer()
        self._rules: dict[str, list[list[str]]] = {}
        known = list(rules)
        for rule in known:
            for run in re.findall(r"[\u3400-\u9fff\uf900-\ufaff]+", rule):
                # Five times what it takes to stand alone: 清关 wins over 关卡 in 清关卡住, while 跟卖 still
                # loses to 卖家 in 跟卖家沟通 (checked in tests/feedback/test_sellers.py).
                self._jieba.add_word(run, freq=self._jieba.suggest_freq(run, False) * RULE_WEIGHT)
        for rule in known:
            self._rule(rule)

    def tokens(self, text: str) -> list[str]:
        found: list[str] = []
        for piece in _PIECES.finditer(text):
            if piece.group("cjk"):
                found += [w for w in self._jieba.cut(piece.group("cjk"), HMM=True) if w.strip()]
            elif piece.group("any_pct"):
                found.append(piece.group("any_pct"))
            elif piece.group("pct"):
                sign = piece.group("sign")
                found.append("+N%" if sign in ("+", "＋") else "-N%" if sign else "N%")
            else:
                found.append(stem(piece.group("word").lower()))
        return found

    def find(self, rule: str, tokens: list[str]) -> int | None:
        """Where ``rule`` first matches in ``tokens`` (its first word's index), or None."""
        parts = self._rule(rule)
        for start in range(len(tokens)):
            if _follows(parts, tokens, start, anchored=True) is not None:
                return start
        return None

    def matches(self, rule: str, text: str) -> bool:
        return self.find(rule, self.tokens(text)) is not None

    def any(self, rules: Iterable[str], tokens: list[str]) -> bool:
        return any(self.find(rule, tokens) is not None for rule in rules)

    def _rule(self, rule: str) -> list[list[str]]:
        if rule not in self._rules:
            parts = [self.tokens(part) for part in _GAP.split(rule.strip())]
            self._rules[rule] = [p for p in parts if p]
        return self._rules[rule]


def _follows(parts: list[list[str]], tokens: list[str], at: int, *, anchored: bool) -> int | None:
    """The end of ``parts`` matched in order from ``at`` (exactly there when anchored, else within MAX_GAP)."""
    if not parts:
        return at
    first, rest = parts[0], parts[1:]
    starts = [at] if anchored else range(at, min(at + MAX_GAP + 1, len(tokens)))
    for start in starts:
        if tokens[start : start + len(first)] == first:
            end = _follows(rest, tokens, start + len(first), anchored=False)
            if end is not None:
                return end
    return None


@cache
def words_for(rules: tuple[str, ...]) -> Words:
    """One cutter per set of rules: loading jieba's dictionary takes a moment, so it is done once."""
    return Words(rules)
