"""One line of ``opsbot doctor``: what was checked, whether it passed, and what to do when not."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
