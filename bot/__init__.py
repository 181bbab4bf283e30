"""Opsbot: the Slack bot a cross-border e-commerce operations team runs its day on."""

__version__ = "0.1.0"
