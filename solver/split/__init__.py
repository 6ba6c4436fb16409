"""SPEC §5: the regional cost split over the municipalities, to the cent.

`cost_split.split_cost` is the one entry: the plain rules (`rules`: usage, population, mixed, key,
by lot) are computed from the plan and rounded by `rounding`; a game rule plays the coalition game
of `game/` under the `GameSettings` the caller passes.
"""
