"""Bolt listeners, thin: ack, parse into a pydantic model, one call into ops, build blocks, deliver."""
