"""Readers and writers around the instance: spreadsheets (xlsx, CSV folders) and result workbooks."""
