"""Every console demo scene played by one team in one language: what the scene scans in tests/i18n share.

The team's language and every person's Slack locale are set to the language. What the scenes' people typed
(notes, answers, feedback) is theirs and shown as typed; the terminal's own chrome (``── #ops · only visible to
…``) is not Slack's. :func:`opsbot_lines` gives what is left of each line shown: Opsbot's own text.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml
from babel.messages.pofile import read_po

from bot.console.repl import DEMO_DATA
from bot.console.session import ConsoleSlack
from bot.i18n import LOCALE_DIR, normalize_locale
from bot.reports.ingest import ingest_generic
from tests.conftest import PLAYBOOKS, SOMETHING_WENT_WRONG, speak

SCENES = sorted((Path(__file__).resolve().parents[2] / "bot" / "console" / "scenes").glob("*.txt"))
DEMO_START = __import__("bot.cli.console", fromlist=["DEMO_START"]).DEMO_START
CHROME = re.compile(r"^\s*(⏰ \w{3} \d{4}-.*|── .*|\(you are now .*\)|\(you are now in .*\)|».*)$")
CONSOLE_WORDS = re.compile(
    r"\((optional)\)|!submit|!click|only visible to|message updated|modal opened for|"
    r"in thread|shared|DM with|pinned|App Home|uploaded"
)
# URLs, mentions, channels, slash commands, file names, SKU/PO-style codes and date patterns are not words.
# A goal's id after /goals report is a key the team chose in goals.yml and types back, like a SKU.
NOT_WORDS = re.compile(
    r"/goals \S+\s+[a-z0-9-]+|https?://\S+|<[^>]*>|@[\w .]+|#[\w-]+|(?<![\w])/[a-z]+|\S+\.(csv|png|txt|xlsx|tsv|yml)\b|"
    r"\b[A-Z0-9]+-[\w-]+|YYYY-MM-DD"
)
# A scan reads what one console line showed, given everything the scene's people typed so far: its problems.
Scan = Callable[[str, list[str]], list[str]]
LANGUAGE_OF = {"en": "en", "zh_CN": "zh-CN", "zh_TW": "zh-TW"}


def catalog_labels(locale: str) -> dict[str, str]:
    """A label a scene clicks -> the label as this reader sees it, from the catalogs and the playbooks.

    A scene clicks English labels, or a label as its Chinese-speaking manager sees it (Simplified): both are
    mapped to the reader's (an English reader's label is the msgid)."""
    labels: dict[str, str] = {}
    for po in sorted((LOCALE_DIR / locale / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as fh:
            for message in read_po(fh):
                if message.id and isinstance(message.id, str) and isinstance(message.string, str) and message.string:
                    labels.setdefault(message.id.lower(), message.string)
    for po in sorted((LOCALE_DIR / "zh_CN" / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as fh:
            for message in read_po(fh):
                if message.id and isinstance(message.id, str) and isinstance(message.string, str) and message.string:
                    labels.setdefault(message.string.lower(), labels.get(message.id.lower(), message.id))
    key = LANGUAGE_OF[locale]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "en" in node and key in node:
                labels[str(node["en"]).lower()] = str(node[key])
            if "en" in node and "zh-CN" in node:
                labels.setdefault(str(node["zh-CN"]).lower(), str(node[key]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in PLAYBOOKS.rglob("*.yml"):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return labels


def label(labels: dict[str, str], target: str) -> str:
    """A label as the reader sees it; a feedback line's button ("Purchasing: I'm on it") is its role and action,
    each translated, in the catalog's "{role}: {action}"."""
    found = labels.get(target.lower())
    if found is None and ": " in target:
        role, action = target.split(": ", 1)
        pattern = labels.get("{role}: {action}", "{role}: {action}")
        found = pattern.format(role=labels.get(role.lower(), role), action=labels.get(action.lower(), action))
    return found or target


def typed(line: str) -> list[str]:
    """The words a person typed in a console line: theirs, shown as typed wherever Opsbot repeats them."""
    if line.startswith("!fill"):
        return [part.split("=", 1)[1] for part in shlex.split(line[5:]) if "=" in part]
    if line.startswith("!say"):
        return [line[4:].strip()]
    if line.startswith("/"):
        return line.split()[1:]
    return []


def opsbot_lines(output: str, typed: list[str]) -> Iterator[tuple[str, str]]:
    """Each line shown, and what is Opsbot's own text in it: the console's chrome and people's typing set aside."""
    for line in output.splitlines():
        if CHROME.match(line):
            continue
        text = CONSOLE_WORDS.sub(" ", line)
        for phrase in sorted(typed, key=len, reverse=True):
            text = re.sub(r"(?<![A-Za-z])" + re.escape(phrase) + r"(?![A-Za-z])", " ", text)
        yield line, text


def play_every_scene(language: str, playbooks_dir: Path, tmp_path: Path, scan: Scan) -> list[str]:
    """Play every scene, in order, as a team whose language and people's Slack are ``language``; what ``scan``
    found in each line's output, named by scene and line. A "Something went wrong" fails at once."""
    speak(playbooks_dir, language, tmp_path / "workspace.yml")
    slack = ConsoleSlack(
        playbooks_dir=playbooks_dir,
        database_url=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        start=DEMO_START,
        workspace_file=tmp_path / "workspace.yml",
    )
    labels = catalog_labels(normalize_locale(language))
    problems: list[str] = []
    try:
        with slack.services.db.transaction() as session:
            for path in sorted(DEMO_DATA.glob("*.csv")):
                ingest_generic(session, slack.team.id, path)
        said: list[str] = []
        for scene in SCENES:
            for line in scene.read_text(encoding="utf-8").splitlines():
                if line.startswith("!click "):
                    target = line[7:].strip()
                    line = "!click " + label(labels, target)
                said += typed(line)
                output = slack.send(line)
                for prefix in SOMETHING_WENT_WRONG:
                    assert prefix not in output, f"{scene.name}: {line!r} went wrong:\n{output}"
                problems += [f"{scene.name}: {line!r}: {p}" for p in scan(output, said)]
    finally:
        slack.close()
    return problems
