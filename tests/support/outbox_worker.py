"""One Opsbot process's outbox, as its own process, for the kill -9 tests.

    python -m tests.support.outbox_worker DB_URL API_URL COUNT [--write] [--die-after-post K] [--ahead SECONDS]

--write commits COUNT messages in one transaction (posts to four channels, thread replies, DMs) and sends
them; without it the process only sends what is pending, as a restarted replica does. --die-after-post K
kills the process (SIGKILL) the moment Slack has answered the K-th chat.postMessage, before the outbox can
record it. --ahead runs this process's clock SECONDS ahead: a restart after the dead one's lease ran out.
"""

from __future__ import annotations

import argparse
import os
import signal
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_sdk import WebClient

from bot.db import Database
from bot.delivery import Delivery, Outgoing


def die_after(posts: int) -> None:
    original = WebClient.chat_postMessage
    answered = 0

    def post_then_die(self: WebClient, **kwargs: Any) -> Any:
        nonlocal answered
        response = original(self, **kwargs)
        answered += 1
        if answered == posts:
            os.kill(os.getpid(), signal.SIGKILL)  # Slack has it; the outbox never hears
        return response

    WebClient.chat_postMessage = post_then_die  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db_url")
    parser.add_argument("api_url")
    parser.add_argument("count", type=int)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--die-after-post", type=int)
    parser.add_argument("--ahead", type=float, default=0.0)
    args = parser.parse_args()
    if args.die_after_post:
        die_after(args.die_after_post)
    ahead = timedelta(seconds=args.ahead)
    db = Database(args.db_url)
    delivery = Delivery(WebClient(token="xoxb-outbox-crash", base_url=args.api_url, timeout=5), db,
                        pace_seconds=0, now=lambda: datetime.now(UTC) + ahead)
    if args.write:
        with db.transaction():
            parent: Outgoing | None = None
            for number in range(args.count):
                if number % 5 == 4 and parent is not None:
                    delivery.post(f"C{number % 4}", f"message {number}", thread_ts=parent)
                elif number % 4 == 3:
                    delivery.dm(f"U{number % 3}", f"message {number}")
                else:
                    parent = delivery.post(f"C{number % 4}", f"message {number}")
    if not delivery.outbox.drain(timeout=60):
        raise SystemExit("outbox not empty")


if __name__ == "__main__":
    main()
