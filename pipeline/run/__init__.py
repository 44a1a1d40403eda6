"""One pass (the orchestrator) and the router, the watcher, the inbox, claims, locks."""
