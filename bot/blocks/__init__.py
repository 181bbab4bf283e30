"""Block Kit builders: pure functions of domain objects, one module per feature, within Slack's limits."""
