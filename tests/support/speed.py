"""What makes the suite fast without changing what any test sees: pure work done once per test process.

- ``remember_yaml``: PyYAML's pure-Python parser takes ~0.2 s for the playbooks, and every test that starts the
  bot (well over a thousand) parses the same texts again. ``yaml.safe_load`` of a text is a pure function of
  that text, so a parsed result is kept by its text and every later caller gets its own deep copy (callers may
  change what they got). Only successes are kept: a text that fails to parse fails again, with the same error,
  because it is parsed again.
- ``migrate_from_a_template``: every test that starts the bot (``wire``) used to run the 25 Alembic migrations on
  a new SQLite file. The schema is built once per test process by the project's own ``upgrade``, and a bot
  wired on a new SQLite file gets a byte-for-byte copy of it instead: the file ``upgrade`` would have left.
  On a file that exists already ``wire`` runs the real ``upgrade``. Tests of the migrations themselves call
  ``bot.db.migrate.upgrade`` and ``alembic`` directly, untouched: only ``wire``'s reference is replaced.
  PostgreSQL databases are not copied.
"""

from __future__ import annotations

import atexit
import copy
import os
import shutil
import sqlite3
import tempfile
import threading
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine

from bot.db import migrate

_KEPT_TEXT_AT_LEAST = 200  # shorter texts parse in microseconds: not worth keeping
_KEPT_AT_MOST = 2000  # texts are kept until there are this many (the playbooks and workspaces are a few dozen)
_parsed: dict[str, Any] = {}
_real_safe_load = yaml.safe_load


def _remembering_safe_load(stream: Any) -> Any:
    if not isinstance(stream, str) or len(stream) < _KEPT_TEXT_AT_LEAST:
        return _real_safe_load(stream)
    if stream not in _parsed:
        data = _real_safe_load(stream)  # raises as before on a bad text: nothing is kept
        if len(_parsed) >= _KEPT_AT_MOST:
            return data
        _parsed[stream] = copy.deepcopy(data)
        return data
    return copy.deepcopy(_parsed[stream])


def remember_yaml() -> None:
    yaml.safe_load = _remembering_safe_load  # type: ignore[assignment]


_template: Path | None = None
_real_upgrade = migrate.upgrade


def _migrated_template() -> Path:
    """An SQLite file at the head revision, built once per test process by the project's own ``upgrade``."""
    global _template
    if _template is None:
        from bot.db import Database

        path = Path(tempfile.mkdtemp(prefix="opsbot-schema-")) / "head.sqlite3"
        database = Database(f"sqlite:///{path}")
        try:
            _real_upgrade(database.engine)
        finally:
            database.dispose()
        with sqlite3.connect(path) as connection:  # everything in the main file, nothing left in a -wal beside it
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        atexit.register(shutil.rmtree, path.parent, True)
        _template = path
    return _template


_copying = threading.Lock()
_revisions: set[str] = set()


def _all_revisions() -> set[str]:
    """What ``upgrade`` reports having applied to an empty database: every revision (read once)."""
    if not _revisions:
        from alembic.script import ScriptDirectory

        from bot.db import Database

        database = Database("sqlite://")
        _revisions.update(r.revision for r in ScriptDirectory.from_config(migrate.alembic_config(database.engine))
                          .walk_revisions())
        database.dispose()
    return _revisions


def _upgrade_from_the_template(engine: Engine) -> set[str]:
    """``upgrade`` as ``wire`` calls it, where a new SQLite file starts as a copy of the migrated template."""
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and database != ":memory:":
        path = Path(database)
        with _copying:  # replicas wired at once in threads: one copies, the others find the file there
            if not path.exists() and not Path(f"{database}-wal").exists():
                partial = path.with_name(f".{path.name}.{os.getpid()}.copying")
                shutil.copyfile(_migrated_template(), partial)
                partial.replace(path)  # nobody ever opens a half-copied file
                # At the head revision, as upgrade leaves it: asking Alembic again (it re-reads all 25 scripts,
                # ~0.1 s) could only find nothing pending.
                return set(_all_revisions())
    return _real_upgrade(engine)


def migrate_from_a_template() -> None:
    """Every bot ``wire`` starts on a new SQLite file gets the schema by copying, then runs ``upgrade`` as ever."""
    import bot.wiring

    bot.wiring.upgrade = _upgrade_from_the_template
