"""Whitespace tokens of an OR-Library file, read into numpy arrays with errors naming file and line.

OR-Library files wrap their numbers at arbitrary widths, so every reader works on the token
stream (README of `shared/orlib`: "parse by whitespace tokens, never by lines"). Line numbers are
only worked out when something is wrong, so the happy path stays one `split()` and a few vectorised
conversions. Also: the id scheme and the JSON-number helper shared by the family modules.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from solver.errors import FieldError, InvalidInput

WHAT = "OR-Library file"

Describe = Callable[[int], str]


class Tokens:
    """The whitespace tokens of one file; `fail` raises `InvalidInput` naming file and line."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            # latin-1 decodes any byte, so a stray character is reported as a bad token with its
            # line rather than as an unreadable file.
            self.text = self.path.read_bytes().decode("latin-1")
        except OSError as exc:
            raise InvalidInput([FieldError(str(path), f"cannot read: {exc}")], WHAT) from None
        self.words = self.text.split()

    def __len__(self) -> int:
        return len(self.words)

    def line_of(self, index: int) -> int:
        """The 1-based line of token `index`; past the end, the last line."""
        seen = 0
        lines = self.text.splitlines() or [""]
        for number, line in enumerate(lines, start=1):
            seen += len(line.split())
            if seen > index:
                return number
        return len(lines)

    def fail(self, index: int, message: str) -> InvalidInput:
        """The error to raise for token `index` (past the end: the file ends early)."""
        return InvalidInput([FieldError(f"{self.path}:{self.line_of(index)}", message)], WHAT)

    def found(self, index: int) -> str:
        """How to quote token `index` in a message."""
        return f"found {self.words[index]!r}" if index < len(self.words) else "the file ends"

    def need(self, count: int, layout: str) -> None:
        """Require exactly `count` tokens, as `layout` (a formula in words) says."""
        if len(self.words) < count:
            raise self.fail(
                len(self.words),
                f"the file ends early: {layout} needs {count} numbers, it has {len(self.words)}",
            )
        if len(self.words) > count:
            raise self.fail(
                count,
                f"unexpected data after the last record: {layout} needs {count} numbers, "
                f"{self.found(count)}",
            )

    def header(self, count: int, names: tuple[str, ...]) -> list[int]:
        """The first `count` tokens as positive whole numbers called `names`."""
        values = []
        for k in range(count):
            if k >= len(self.words):
                raise self.fail(k, f"expected {names[k]} (a whole number > 0), the file ends")
            word = self.words[k]
            if not word.isdigit() or int(word) < 1:
                raise self.fail(k, f"expected {names[k]} (a whole number > 0), {self.found(k)}")
            values.append(int(word))
        return values

    def numbers(
        self,
        where: slice,
        describe: Describe,
        *,
        integer: bool = False,
        low: float = 0.0,
    ) -> NDArray[np.float64]:
        """Tokens `where` as float64: finite, ≥ `low`, whole numbers when `integer`.

        `describe(token_index)` names what a token is ("demand of customer 7"), for the error.
        """
        positions = range(len(self.words))[where]
        try:
            values = np.array(self.words[where], dtype=np.float64)
        except ValueError:
            for k in positions:
                try:
                    float(self.words[k])
                except ValueError:
                    raise self.fail(
                        k, f"{describe(k)}: expected a number, {self.found(k)}"
                    ) from None
            # numpy and float() reject the same strings; this is a guard, not an expected path
            raise self.fail(positions[0], f"{describe(positions[0])}: unreadable numbers") from None
        problems: list[tuple[NDArray[np.bool_], str]] = [
            (~np.isfinite(values), "expected a finite number"),
            (values < low, f"must be ≥ {low:g}"),
        ]
        if integer:
            problems.append((values != np.floor(values), "expected a whole number"))
        for bad, message in problems:
            if bad.any():
                k = positions[int(np.argmax(bad))]
                raise self.fail(k, f"{describe(k)}: {message}, {self.found(k)}")
        return values


def ids(prefix: str, count: int, width: int) -> list[str]:
    """`prefix` + 1-based numbers zero-padded to at least `width` digits: c0001, c0002, ..."""
    width = max(width, len(str(count)))
    return [f"{prefix}{k:0{width}d}" for k in range(1, count + 1)]


def plain(values: np.ndarray) -> list[int] | list[float]:
    """Values as a JSON-ready list: ints when all are whole (shorter JSON), else floats."""
    if values.size and np.all(values == np.floor(values)) and np.abs(values).max() < 2**53:
        return values.astype(np.int64).tolist()
    return values.astype(np.float64).tolist()


def sparse_row(keys: np.ndarray, row: np.ndarray) -> dict[str, int | float]:
    """{key: value} for the non-zero entries of `row` (0 is the SPEC default of access_cost)."""
    nonzero = np.flatnonzero(row)
    return dict(zip(keys[nonzero].tolist(), plain(row[nonzero]), strict=True))
