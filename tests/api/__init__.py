"""Tests of the HTTP API, against a real server on 127.0.0.1."""
