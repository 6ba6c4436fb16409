"""Durable jobs: the SQLite store, the worker processes and their supervisor."""
