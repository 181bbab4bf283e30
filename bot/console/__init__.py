"""The terminal Slack: a local Slack Web API emulator, signed payload builders, a renderer and a REPL.

The same pieces are the project's e2e test harness (see HARNESS.md beside this file).
"""
