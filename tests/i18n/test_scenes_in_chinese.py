"""Every console demo scene played as a Simplified and a Traditional Chinese team: no English reaches the reader.

The team's language and every person's Slack locale are Chinese. What the scenes' people typed (notes, answers,
feedback) is theirs and shown as typed; the terminal's own chrome (``── #ops · only visible to …``) is not Slack's.
What remains is Opsbot's text, where any run of three or more ASCII letters must be a name, code or term on the
allow-list below.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.messages.pofile import read_po

from bot.console.repl import DEMO_DATA
from bot.console.session import WORKSPACE_FILE, ConsoleSlack
from bot.i18n import LOCALE_DIR, normalize_locale
from bot.reports.ingest import ingest_generic
from tests.conftest import PLAYBOOKS, SOMETHING_WENT_WRONG

SCENES = sorted((Path(__file__).resolve().parents[2] / "bot" / "console" / "scenes").glob("*.txt"))
DEMO_START = __import__("bot.cli.console", fromlist=["DEMO_START"]).DEMO_START
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
CHROME = re.compile(r"^\s*(⏰ \w{3} \d{4}-.*|── .*|\(you are now .*\)|\(you are now in .*\)|».*)$")
# URLs, mentions, channels, slash commands, file names, SKU/PO-style codes and date patterns are not words.
NOT_WORDS = re.compile(
    r"https?://\S+|<[^>]*>|@[\w .]+|#[\w-]+|(?<![\w])/[a-z]+|\S+\.(csv|png|txt|xlsx|tsv|yml)\b|"
    r"\b[A-Z0-9]+-[\w-]+|YYYY-MM-DD"
)
CONSOLE_WORDS = re.compile(
    r"\((optional)\)|!submit|!click|only visible to|message updated|modal opened for|"
    r"in thread|shared|DM with|pinned|App Home|uploaded"
)


def _label(labels: dict[str, str], target: str) -> str:
    """A label as the reader sees it; a line's button ("Purchasing: I'm on it") is its role and action, each
    translated, in the catalog's "{role}: {action}"."""
    found = labels.get(target.lower())
    if found is None and ": " in target:
        role, action = target.split(": ", 1)
        pattern = labels.get("{role}: {action}", "{role}: {action}")
        found = pattern.format(role=labels.get(role.lower(), role), action=labels.get(action.lower(), action))
    return found or target


def _catalog_labels(locale: str) -> dict[str, str]:
    """English label -> the reader's label, from the catalogs and the playbooks: what ``!click`` must say."""
    labels: dict[str, str] = {}
    for po in sorted((LOCALE_DIR / locale / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as fh:
            for message in read_po(fh):
                if message.id and isinstance(message.id, str) and isinstance(message.string, str) and message.string:
                    labels.setdefault(message.id.lower(), message.string)
    # A scene may click a label as its Chinese-speaking manager sees it (Simplified): the same msgid's string.
    for po in sorted((LOCALE_DIR / "zh_CN" / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as fh:
            for message in read_po(fh):
                if message.id and isinstance(message.id, str) and isinstance(message.string, str) and message.string:
                    labels.setdefault(message.string.lower(), labels.get(message.id.lower(), message.string))
    key = locale.replace("_", "-")

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "en" in node and key in node:
                labels[str(node["en"]).lower()] = str(node[key])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in PLAYBOOKS.rglob("*.yml"):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return labels


def _typed(line: str) -> list[str]:
    """The words a person typed in a console line: theirs, shown as typed wherever Opsbot repeats them."""
    if line.startswith("!fill"):
        return [part.split("=", 1)[1] for part in shlex.split(line[5:]) if "=" in part]
    if line.startswith("!say"):
        return [line[4:].strip()]
    if line.startswith("/"):
        return line.split()[1:]
    return []


def _foreign_words(output: str, typed: list[str]) -> list[str]:
    found = []
    for line in output.splitlines():
        if CHROME.match(line):
            continue
        text = CONSOLE_WORDS.sub(" ", line)
        for phrase in sorted(typed, key=len, reverse=True):
            text = re.sub(r"(?<![A-Za-z])" + re.escape(phrase) + r"(?![A-Za-z])", " ", text)
        text = NOT_WORDS.sub(" ", text)
        for word in re.findall(r"[A-Za-z]{3,}", text):
            if word not in ALLOWED:
                found.append(f"{word!r} in {line.strip()!r}")
    return found


@pytest.mark.parametrize("language", ["zh-CN", "zh-TW"])
def test_every_scene_reads_in_chinese(language: str, playbooks_dir: Path, tmp_path: Path) -> None:
    team_file = playbooks_dir / "team.yml"
    team = yaml.safe_load(team_file.read_text(encoding="utf-8"))
    team["language"] = language
    team_file.write_text(yaml.safe_dump(team, allow_unicode=True), encoding="utf-8")
    workspace = yaml.safe_load(WORKSPACE_FILE.read_text(encoding="utf-8"))
    for user in workspace["users"]:
        user["locale"] = language
    (tmp_path / "workspace.yml").write_text(yaml.safe_dump(workspace, allow_unicode=True), encoding="utf-8")
    slack = ConsoleSlack(
        playbooks_dir=playbooks_dir,
        database_url=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        start=DEMO_START,
        workspace_file=tmp_path / "workspace.yml",
    )
    labels = _catalog_labels(normalize_locale(language))
    problems: list[str] = []
    try:
        with slack.services.db.transaction() as session:
            for path in sorted(DEMO_DATA.glob("*.csv")):
                ingest_generic(session, slack.team.id, path)
        typed: list[str] = []
        for scene in SCENES:
            for line in scene.read_text(encoding="utf-8").splitlines():
                if line.startswith("!click "):
                    target = line[7:].strip()
                    line = "!click " + _label(labels, target)
                typed += _typed(line)
                output = slack.send(line)
                for prefix in SOMETHING_WENT_WRONG:
                    assert prefix not in output, f"{scene.name}: {line!r} went wrong:\n{output}"
                problems += [f"{scene.name}: {line!r}: {p}" for p in _foreign_words(output, typed)]
    finally:
        slack.close()
    assert problems == [], f"{len(problems)} English words reached a {language} reader:\n" + "\n".join(problems)


def test_the_scan_flags_english_and_lets_names_and_codes_through() -> None:
    shown = "  *Suggestion: 500 units* · 🟢 ok\n  ── #ops · only visible to Li Wei\n"
    shown += "  R-1 · LED-100 · @Li Wei · #purchasing · 交期"
    assert _foreign_words(shown, []) == [
        "'Suggestion' in '*Suggestion: 500 units* · 🟢 ok'",
        "'units' in '*Suggestion: 500 units* · 🟢 ok'",
    ]
    assert _foreign_words("  备注：Q1 promotion in the US", ["Q1 promotion in the US"]) == []
