"""The exceptions dekkend raises, and the `{path, message}` error item they carry.

Infeasible and time-limited solves are results, not exceptions (STYLE habit 6). Exceptions are for
bad input, a backend that is not installed, a rule that is not built, and bugs that name themselves.
Each front door maps each class to one exit code or HTTP status.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with the input, at a JSON path such as `providers[17].offers[2].price`."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message

    def as_dict(self) -> dict[str, str]:
        """The SPEC §7 `errors[]` item."""
        return {"path": self.path, "message": self.message}


class DekkendError(Exception):
    """Base class of every error dekkend raises on purpose."""


class InvalidInput(DekkendError):
    """The input broke SPEC §1 (or a result file its shape); carries every error found."""

    def __init__(self, errors: list[FieldError], what: str = "instance") -> None:
        self.errors = list(errors)
        self.what = what
        count = len(self.errors)
        head = "; ".join(str(e) for e in self.errors[:3])
        more = f" (and {count - 3} more)" if count > 3 else ""
        super().__init__(f"invalid {what}: {count} error(s): {head}{more}")


class UnknownBackend(DekkendError):
    """The requested backend or PuLP solver does not exist or is not installed here."""


class NotSupported(DekkendError):
    """A feature the SPEC names that this version does not build yet (said plainly, never faked)."""


class CheckFailed(DekkendError):
    """A backend produced a solution that the independent checker rejects: a bug, never a result."""

    def __init__(self, violations: list[str]) -> None:
        self.violations = list(violations)
        super().__init__("solution failed the independent check: " + "; ".join(violations[:5]))
