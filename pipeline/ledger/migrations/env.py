"""Alembic's entry point for the ledger: always run by pipeline.ledger.migrate on a connection
it has already opened, locked and put in a transaction (never from the alembic CLI's ini)."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, transactional_ddl=False, render_as_batch=True)
context.run_migrations()
