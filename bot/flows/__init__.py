"""Use cases: one function per thing a person or a scheduled job does, shared by both.

A flow loads what it needs from the database, asks the pure domain (bot/ops) what to do, commits,
then delivers the blocks. Handlers and scheduled jobs call the same flow, so a 09:00 job and a
typed command behave the same.
"""
