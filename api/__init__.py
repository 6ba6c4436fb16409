"""dekkend HTTP service (FastAPI): a thin front door over `solver`."""
