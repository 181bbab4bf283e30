"""Report data: loaders for the exports sellers have, the facts they hold, and queries over them."""
