"""SPEC §2–§3 as one integer linear model in arrays, shared by every backend; imports no solver.

`data` indexes an instance into numpy arrays; `matrix` holds the `MatrixModel` and its `Builder`;
`formulation` adds one block of rows per SPEC rule, named by `families`; `variants` derives models
with rules dropped, other objectives or added rows; `plan` reads contracts and assignments back
from a solution, and `tidy` drops care-type contracts that carry nothing.
"""
