"""Seeded synthetic regions, feasible by construction.

`region` draws a whole instance with its bidders from `providers`; `bundled` holds the arguments of
the regions in `instances/`.
"""
