"""The outbox: what Opsbot announces reaches Slack once — not lost, not doubled — at Slack's pace.

A message is a row written in the transaction of the change it announces (``Delivery`` writes it into the
transaction open at the time), so a change and its announcement are committed together or not at all.
Once committed, the row is sent: at once, in the thread that committed it, when its conversation is free;
otherwise by the sender threads (:class:`OutboxWorker`) of any replica.

One conversation (a channel, or a person's DM) is a *lane*: one sender at a time holds it, under a lease in
the database, and sends its rows in the order written — a card before its edit, a thread's parent before
its replies — no faster than one a ``pace`` (Slack takes about one message a second in a conversation).
429 waits its Retry-After; a 5xx or a dropped connection is tried again with backoff; anything else Slack
refuses is given up and logged with Slack's error code.

Exactly once: each row has a key, carried to Slack in the message's metadata (a file is asked after by
its id, kept before it is shared).
When a send's outcome is unknown — the answer was lost, or the sender was killed between Slack's answer
and its commit — the next attempt first looks in the conversation for that key, and only sends if it is
not there. The key is derived from the work that wrote it (a scheduled fire, a Slack delivery) and what
the message is, so that work done again writes the same keys, and the outbox takes each only once.

``messages``: what features use (Outgoing, Posted, receipts, keys); ``core``: the table, the lanes and
their leases; ``slack``: one message as Web API calls and what Slack's answer means; ``worker``: the
sender threads and what an operator asks.
"""

from bot.outbox.core import LEASE, Outbox
from bot.outbox.messages import Outgoing, Posted, Receipt, ReceiptHook, Target, keyed, set_key_scope
from bot.outbox.worker import OutboxStatus, OutboxWorker, outbox_status

__all__ = ["LEASE", "Outbox", "OutboxStatus", "OutboxWorker", "Outgoing", "Posted", "Receipt", "ReceiptHook", "Target",
           "keyed", "outbox_status", "set_key_scope"]
