"""Loads and validates the YAML playbooks a team edits. A bad file fails at start with file, key and reason.

Values may reference the environment as ``$NAME`` or ``${NAME}`` (opsdroid style), so channel or
user-group ids can differ between a staging and a production workspace without copying files.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import AfterValidator, BaseModel, BeforeValidator, ValidationError

from bot.errors import ConfigError
from bot.i18n import DEFAULT_LOCALE, normalize_locale, pick
from bot.ops.team import Team, TeamDirectory

M = TypeVar("M", bound=BaseModel)
LANGUAGES = ("en", "zh-CN", "zh-TW")


def check_local_text(value: str | dict[str, str]) -> str | dict[str, str]:
    """Text people read, as a team writes it in a playbook: one string for everyone, or one per language."""
    if isinstance(value, str):
        return value
    accepted = ", ".join(LANGUAGES)
    if not value:
        raise ValueError(f"give the text, or one per language: {{{accepted}}}")
    for key, text in value.items():
        if normalize_locale(key) == DEFAULT_LOCALE and not key.lower().startswith("en"):
            raise ValueError(f"unknown language {key!r}; use {accepted}")
        if not text.strip():
            raise ValueError(f"the {key} text is empty; write it, or leave {key} out ({accepted})")
    return value


def _strings_only(value: Any) -> Any:
    if isinstance(value, dict) and not all(isinstance(v, str) for v in value.values()):
        raise ValueError(f"each language's text must be a string: {{{', '.join(LANGUAGES)}}}")
    return value


# ``title: Pricing check`` or ``title: {en: Pricing check, zh-CN: 定价与毛利核对, zh-TW: 定價與毛利核對}``. It stays a
# plain str or dict (launch tasks keep it as JSON in the database); local_text reads it for a reader.
LocalText = Annotated[str | dict[str, str], BeforeValidator(_strings_only), AfterValidator(check_local_text)]


def local_text(text: str | dict[str, str], locale: str | None) -> str:
    """The text for a reader: their language, else the other Chinese for a Chinese reader, else English."""
    return pick(text, locale or DEFAULT_LOCALE)


_ENV_REF = re.compile(r"\$\{(\w+)\}|\$(\w+)")
_PERCENT = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*%\s*$")


def _fraction(value: Any) -> Any:
    """``25%`` (as people write it) or ``0.25`` (as the math uses it): both are the fraction 0.25."""
    if isinstance(value, str):
        match = _PERCENT.match(value)
        if match:
            return float(match.group(1)) / 100
        try:
            return float(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a percentage: write it as 25% or 0.25") from None
    return value


# A share or a rate in a playbook: written 25% or 0.25, held as the fraction 0.25.
Percent = Annotated[float, BeforeValidator(_fraction)]


def _expand(value: Any, env: Mapping[str, str], where: str, problems: list[str]) -> Any:
    if isinstance(value, str):

        def substitute(match: re.Match[str]) -> str:
            name = match.group(1) or match.group(2)
            if name not in env:
                problems.append(f"{where}: ${name} is not set in the environment")
                return ""
            return env[name]

        return _ENV_REF.sub(substitute, value)
    if isinstance(value, list):
        return [_expand(v, env, f"{where}[{i}]", problems) for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {k: _expand(v, env, f"{where}.{k}", problems) for k, v in value.items()}
    return value


def read_yaml(path: Path, env: Mapping[str, str] | None = None) -> Any:
    """Parse one YAML file, expanding ``$ENV`` references; errors name the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError([f"{path}: file not found"]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{path}: cannot be read as UTF-8 text ({exc.__class__.__name__})"]) from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or str(exc)
        raise ConfigError([f"{path}:{where}: not valid YAML: {reason}"]) from exc
    problems: list[str] = []
    expanded = _expand(data, os.environ if env is None else env, path.name, problems)
    if problems:
        raise ConfigError([f"{path}: {p}" for p in problems])
    return expanded


def validation_problems(path: Path, error: ValidationError) -> list[str]:
    """One line per problem: ``file: key.path: reason``."""
    lines = []
    for item in error.errors():
        key = ".".join(str(part) for part in item["loc"]) or "(top level)"
        reason = item["msg"].removeprefix("Value error, ")
        lines.append(f"{path}: {key}: {reason}")
    return lines


def parse_model(path: Path, model: type[M], data: Any) -> M:
    try:
        return model.model_validate(data if data is not None else {})
    except ValidationError as exc:
        raise ConfigError(validation_problems(path, exc)) from exc


def load_model(path: Path, model: type[M], env: Mapping[str, str] | None = None) -> M:
    return parse_model(path, model, read_yaml(path, env))


# Turns the people and channels a team file names (``@name``, an email, ``#channel``) into Slack ids: the entry
# resolved, and a problem per name that did not resolve (``bot/ops/team_names.py``).
NameResolver = Callable[[Path, Any], tuple[Any, list[str]]]


def load_teams(
    folder: Path, env: Mapping[str, str] | None = None, resolve: NameResolver | None = None
) -> TeamDirectory:
    """``team.yml`` (one team, or ``teams:`` a list) plus any ``teams/*.yml``; ids must be unique."""
    files = [folder / "team.yml", *sorted((folder / "teams").glob("*.yml"))]
    files = [f for f in files if f.exists()]
    if not files:
        raise ConfigError([f"{folder / 'team.yml'}: file not found; copy playbooks/team.yml from the repository"])
    teams: list[Team] = []
    problems: list[str] = []
    for path in files:
        data = read_yaml(path, env)
        entries = data.get("teams") if isinstance(data, dict) and "teams" in data else [data]
        if not isinstance(entries, list):
            problems.append(f"{path}: teams: must be a list of teams")
            continue
        for index, entry in enumerate(entries):
            if resolve is not None:
                entry, unresolved = resolve(path, entry)
                if unresolved:
                    problems += unresolved
                    continue
            try:
                teams.append(Team.model_validate(entry))
            except ValidationError as exc:
                prefix = f"teams.{index}." if len(entries) > 1 or "teams" in (data or {}) else ""
                problems += [
                    line.replace(f"{path}: ", f"{path}: {prefix}", 1) for line in validation_problems(path, exc)
                ]
    ids = [t.id for t in teams]
    problems += [
        f"{folder}: team id {i!r} is used by more than one team" for i in sorted({i for i in ids if ids.count(i) > 1})
    ]
    if problems:
        raise ConfigError(problems)
    return TeamDirectory(teams)
