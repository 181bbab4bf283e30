"""The seams DESIGN.md promises, checked on the source so they cannot erode quietly."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parent.parent / "bot"
PURE = sorted([*(BOT / "ops").rglob("*.py"), *(BOT / "reports").rglob("*.py"), *(BOT / "blocks").rglob("*.py")])
# Only these modules may call Slack's Web API directly; everything else goes through bot/delivery.py (whose
# messages the outbox sends, through bot/outbox/slack.py).
WEB_API_ALLOWED = {"delivery.py", "outbox/slack.py", "people.py", "doctor/slack.py", "app.py"}
WEB_API_PREFIXES = ("chat_", "views_", "files_", "conversations_", "pins_", "reactions_", "users_", "usergroups_")


def _tree(path: Path) -> ast.AST:
    return ast.parse(path.read_text(encoding="utf-8"))


def _imports(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", PURE, ids=lambda p: str(p.relative_to(BOT)))
def test_the_domain_reports_and_blocks_do_not_touch_slack_the_environment_or_the_wall_clock(path: Path) -> None:
    tree = _tree(path)
    slack = {m for m in _imports(tree) if m.split(".")[0] in ("slack_bolt", "slack_sdk")}
    assert slack == set(), f"{path.name} imports {slack}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            reads_environment = node.attr == "environ" and getattr(node.value, "id", "") == "os"
            assert not reads_environment, f"{path.name} reads os.environ"
            if node.attr in ("now", "today", "utcnow") and isinstance(node.value, ast.Name | ast.Attribute):
                owner = node.value.id if isinstance(node.value, ast.Name) else node.value.attr
                assert owner not in ("datetime", "date"), f"{path.name}:{node.lineno} reads the wall clock"


@pytest.mark.parametrize("path", sorted((BOT / "reports").rglob("*.py")), ids=lambda p: str(p.relative_to(BOT)))
def test_reports_are_data_only_and_never_reach_up_to_use_cases_blocks_or_the_terminal(path: Path) -> None:
    above = ("bot.flows", "bot.blocks", "bot.wiring", "bot.handlers", "bot.cli", "typer", "rich")
    reaching_up = {m for m in _imports(_tree(path)) if m in above or m.startswith(tuple(f"{a}." for a in above))}
    assert reaching_up == set(), f"{path.name} imports {reaching_up}"


def test_only_the_delivery_service_calls_slacks_web_api() -> None:
    offenders = []
    for path in BOT.rglob("*.py"):
        if path.relative_to(BOT).as_posix() in WEB_API_ALLOWED or "console" in path.parts:
            continue
        for node in ast.walk(_tree(path)):
            calls_web_api = (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr.startswith(WEB_API_PREFIXES)
            )
            if calls_web_api:
                offenders.append(f"{path.relative_to(BOT)}:{node.lineno}: {ast.unparse(node.func)}")
    assert offenders == []


def test_only_the_config_module_reads_the_environment() -> None:
    readers = []
    for path in BOT.rglob("*.py"):
        for node in ast.walk(_tree(path)):
            is_os = isinstance(node, ast.Attribute) and getattr(node.value, "id", "") == "os"
            if is_os and node.attr in ("environ", "getenv"):  # type: ignore[attr-defined]
                readers.append(str(path.relative_to(BOT)))
    # playbooks.py expands $ENV references in playbooks (opsdroid style); config.py reads settings.
    assert set(readers) <= {"config.py", "playbooks.py"}


def test_no_module_imports_itself_back_through_others() -> None:
    """An import circle makes a module's meaning depend on import order and hides who builds what; the wiring
    at the top exists so that there are none (TYPE_CHECKING imports count: a reader follows them too)."""
    import grimp

    graph = grimp.build_graph("bot")
    modules = sorted(graph.modules)
    imports = {m: sorted(set(graph.find_modules_directly_imported_by(m)) & set(modules)) for m in modules}
    circles = []
    # Tarjan's strongly connected components, iteratively: any component of two or more modules is a circle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    for root in modules:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            if child < len(imports[node]):
                work.append((node, child + 1))
                target = imports[node][child]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            for target in imports[node]:
                if target in on_stack:
                    low[node] = min(low[node], low[target])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    circles.append(sorted(component))
    assert circles == []
