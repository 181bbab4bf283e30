"""`opsbot init [DIR]`: a team's own playbooks to start from, copied from the examples shipped with Opsbot;
`opsbot playbooks export`: team.yml as the teams run now, with what was set up in Slack."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
import yaml

from bot.cli.support import fail
from bot.config import packaged_playbooks

if TYPE_CHECKING:
    from bot.ops.team import Team

# Each file's comments are English; a Chinese line on top says what the file is for, for a team that reads
# Chinese first. Keyed by the file's path inside the playbooks folder; launch templates share one.
CHINESE_HEADERS = {
    "team.yml": "团队设置：角色和成员、时区、语言、工作日、节假日、各类频道。改完运行 `opsbot doctor` 检查。",
    "standup.yml": "每日站会：几点提醒、问哪些问题、汇总发到哪个频道。",
    "kpi.yml": "KPI 日报：几点发、发到哪、各站点每月目标（百分比可写 25% 或 0.25）、汇率和预警阈值。",
    "restock.yml": "补货：供应商交期、主管审批门槛、安全库存（服务水平可写 95% 或 0.95）。",
    "feedback.yml": "市场反馈：按规则转给市场、采购或主管，跟进到关闭为止。",
    "launch/": "新品上架清单模板：每个角色的任务和完成期限（按上架日倒推）。",
}
GENERIC_HEADER = "Opsbot 配置文件：改完运行 `opsbot doctor` 检查。"


def _header(name: str) -> str:
    key = "launch/" if name.startswith("launch/") else name
    return f"# {CHINESE_HEADERS.get(key, GENERIC_HEADER)}\n"


def init(
    folder: Annotated[
        Path, typer.Argument(metavar="[DIR]", help="Where to write them (./playbooks by default)")
    ] = Path("playbooks"),
) -> None:
    """Write team.yml and the feature playbooks to edit, from the examples; never overwrites a file."""
    source = packaged_playbooks()
    names = sorted(p.relative_to(source).as_posix() for p in source.rglob("*.yml"))
    taken = [str(folder / name) for name in names if (folder / name).exists()]
    if taken:
        fail(
            [
                f"{path} already exists: init writes only new files (move it away, or choose another folder)"
                for path in taken
            ]
        )
    try:
        for name in names:
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(_header(name) + (source / name).read_text(encoding="utf-8"), encoding="utf-8")
    except OSError as exc:
        fail([f"cannot write to {folder} ({exc.strerror or exc.__class__.__name__}): choose a folder you can write to"])
    typer.echo(f"Wrote {len(names)} playbooks to {folder}. Next:")
    typer.echo("  1. Edit team.yml: your people (@name, email or Slack id), channels (#name) and time zone.")
    if folder.resolve() != Path("playbooks").resolve():
        typer.echo(f"  2. Set OPSBOT_PLAYBOOKS={folder} (in the environment or .env).")
    else:
        typer.echo("  2. Run Opsbot from this folder (or set OPSBOT_PLAYBOOKS to the folder's path).")
    typer.echo("  3. Run `opsbot doctor` (and `opsbot doctor --slack` once the Slack settings are in).")


def export(
    output: Annotated[
        Path | None,
        typer.Option(
            "--out", metavar="FILE", help="Write here instead of standard output (never over an existing file)"
        ),
    ] = None,
) -> None:
    """team.yml as the teams run now: the file with what managers set up in Slack (/ops setup) filled in."""
    from bot.cli.support import services_from_env
    from bot.flows.setup import TeamSetup

    if output is not None and output.exists():
        fail([f"{output} already exists: export writes only a new file (move it away, or choose another name)"])
    services = services_from_env()
    try:
        TeamSetup(services.context).apply_saved()
        teams = [_exported(t) for t in services.teams.teams]
    finally:
        services.db.dispose()
    text = yaml.safe_dump(teams[0] if len(teams) == 1 else {"teams": teams}, sort_keys=False, allow_unicode=True)
    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail([f"cannot write {output} ({exc.strerror or exc.__class__.__name__}): choose a folder you can write to"])
    typer.echo(f"Wrote {output}.")


def _exported(team: Team) -> dict[str, Any]:
    """A team as team.yml says it: what differs from the defaults, and the workspace whenever the file named it —
    T0DEMO is also the default, and a several-workspace deployment committing the export must keep its mapping."""
    shown = team.model_dump(mode="json", exclude_defaults=True)
    if "slack_team_id" in team.model_fields_set and "slack_team_id" not in shown:
        shown = {k: v for k, v in shown.items() if k in ("id", "name")} | {"slack_team_id": team.slack_team_id} | shown
    return shown


def register(cli: typer.Typer) -> None:
    cli.command()(init)
    playbooks_cli = typer.Typer(help="The team's playbooks.", no_args_is_help=True)
    playbooks_cli.command("export")(export)
    cli.add_typer(playbooks_cli, name="playbooks")
