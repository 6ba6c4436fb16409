"""The alone-or-together game of SPEC §5: c(S) for coalitions of municipalities, and its splits.

`coalitions` defines c(S) (the reference `restrict`, and the fast `CoalitionSolver`); `engines`
solve batches of coalitions on local processes or Dask; `cache` keeps proven values between runs;
`play` holds the `GameSettings` and evaluates a game; `shapley` computes the Shapley split; `core`
the core check and least core; `report` the stand-alone costs and core verdict of any split.
"""
