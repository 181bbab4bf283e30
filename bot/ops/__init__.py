"""The domain, pure: no Slack, no environment, no wall clock. Everything it needs is passed in."""
