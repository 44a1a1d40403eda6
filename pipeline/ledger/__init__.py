"""The ledger: the state store and its queries, one module per level's tables."""
