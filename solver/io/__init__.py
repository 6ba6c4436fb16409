"""Readers and writers around the instance: spreadsheets, CSV folders, OR-Library files."""
