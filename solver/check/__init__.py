"""The independent checker of SPEC §2–§6: whether a result holds for its instance.

It shares no code with the model, the backends, pricing or the split (a test pins this): it has
its own view of the instance and the plan (`index`), its own feasibility rules (`rules`) and its
own arithmetic of money and splits (`money`), so a bug there cannot hide itself here. Every plan
`solve` returns has passed `check`.
"""

from solver.check.checker import CheckReport, check
from solver.check.rules import Violation

__all__ = ["CheckReport", "Violation", "check"]
