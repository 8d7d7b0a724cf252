"""Alembic migrations of the event store (env.py, script.py.mako and versions/NNNN_*.py)."""
