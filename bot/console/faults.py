"""Slack misbehaving on purpose, as it does under load: ``Faults`` says how often and how, and
``FaultInjector`` decides, call by call, whether this one fails.

The decisions are seeded, so a benchmark or a test of retries sees the same storm every run.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Any, Literal

# status, body, headers: what Slack answers instead of doing the call
FaultAnswer = tuple[int, dict[str, Any], dict[str, str]]
# "drop": the connection closes, the call not made; "lose": the call made, the connection closed before the answer
Fault = FaultAnswer | Literal["drop", "lose"]


@dataclass
class Faults:
    """What fraction of Web API calls fail, and how. Seeded, so a run is repeatable."""

    rate_limited: float = 0.0  # answered 429 with Retry-After
    server_error: float = 0.0  # answered 500
    dropped: float = 0.0  # connection closed with no answer, the call not made
    lost_answers: float = 0.0  # the call made, then the connection closed before the answer: did it happen?
    lost_methods: frozenset[str] = frozenset()  # these methods always lose their answers (made, never answered)
    lost_once: frozenset[str] = frozenset()  # these methods lose their first answer only, then answer as usual
    retry_after_seconds: int = 1
    pace_per_channel: float | None = None  # seconds between chat.postMessage calls to one channel
    latency_seconds: float = 0.0  # how long each call takes to answer (a process can be killed meanwhile)
    seed: int = 7


class FaultInjector:
    def __init__(self, faults: Faults) -> None:
        # Tests swap ``faults`` mid-run (a storm, then calm); the dice and the pacing carry on across the swap.
        self.faults = faults
        self._random = random.Random(faults.seed)
        self._last_post: dict[str, float] = {}
        self._lost_once: set[str] = set()  # the methods of ``lost_once`` whose one answer is lost already

    def fault_for(self, method: str, args: dict[str, Any]) -> Fault | None:
        """How this call fails, or None when it goes through."""
        faults = self.faults
        if method == "chat.postMessage" and faults.pace_per_channel:
            channel = str(args.get("channel"))
            now = time.monotonic()
            last = self._last_post.get(channel)
            if last is not None and now - last < faults.pace_per_channel:
                wait = max(1, round(faults.pace_per_channel - (now - last)))
                return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(wait)}
            self._last_post[channel] = now
        if method in faults.lost_methods:
            return "lose"
        if method in faults.lost_once and method not in self._lost_once:
            self._lost_once.add(method)
            return "lose"
        roll = self._random.random()
        if roll < faults.dropped:
            return "drop"
        roll -= faults.dropped
        if roll < faults.lost_answers:
            return "lose"
        roll -= faults.lost_answers
        if roll < faults.rate_limited:
            return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(faults.retry_after_seconds)}
        roll -= faults.rate_limited
        if roll < faults.server_error:
            return 500, {"ok": False, "error": "internal_error"}, {}
        return None
