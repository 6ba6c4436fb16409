"""Reading what people type into cells: Dutch and English numbers, ids, lists, choices."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from solver.io.xlsx.cells import (
    CellError,
    exact_number_cell,
    read_choice,
    read_id,
    read_id_list,
    read_number,
    read_text,
)
from tests.conftest import REPO


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6.500,00", 6500.0),
        ("€ 6.500,00", 6500.0),
        ("€6.500,25 ", 6500.25),
        ("6,500.25", 6500.25),
        ("1.234.567", 1234567.0),
        ("1,234,567", 1234567.0),
        ("1.234.567,5", 1234567.5),
        ("0,25", 0.25),
        ("0.250", 0.25),  # '0' cannot start a thousands group
        ("1,5", 1.5),
        ("1.50", 1.5),
        (",5", 0.5),
        ("12345.678", 12345.678),  # 5 digits before the point: not a thousands group
        ("6500", 6500.0),
        ("6 500", 6500.0),
        ("6\u00a0500,00", 6500.0),
        ("1e-07", 1e-07),
        ("0.30000000000000004", 0.30000000000000004),
        ("EUR 12,50", 12.5),
        ("-3,5", -3.5),
    ],
)
def test_money_text(text: str, expected: float) -> None:
    value = read_number(text, whole=False)
    assert value == expected and isinstance(value, float)


@pytest.mark.parametrize("text", ["6.500", "1,234", "€ 1.000", "12.345"])
def test_money_text_ambiguous(text: str) -> None:
    with pytest.raises(CellError, match="ambiguous"):
        read_number(text, whole=False)


@pytest.mark.parametrize(
    ("text", "expected"), [("1.234", 1234), ("1,234", 1234), ("12", 12), (" 7 ", 7), (3.0, 3)]
)
def test_counts_take_the_only_whole_reading(text: object, expected: int) -> None:
    value = read_number(text, whole=True)
    assert value == expected and isinstance(value, int)


def test_count_both_readings_whole_is_ambiguous() -> None:
    with pytest.raises(CellError, match="ambiguous: 1000 .* or 1 "):
        read_number("1.000", whole=True)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (2.5, "whole number, not 2.5"),
        ("2,5", "whole number, not 2.5"),
        (True, "not TRUE"),
        ("veel", "not the text 'veel'"),
        ("1.2.3", "not the text"),
        ("1,2.3", "not the text"),
        ("50%", "percentage"),
        (datetime(2024, 1, 2), "a date"),
        ("nan", "not the text"),
    ],
)
def test_count_errors(value: object, message: str) -> None:
    with pytest.raises(CellError, match=message):
        read_number(value, whole=True)


def test_percent_for_fractions_only() -> None:
    assert read_number("60%", whole=False, percent=True) == 0.6
    assert read_number("2,5 %", whole=False, percent=True) == 0.025
    with pytest.raises(CellError, match="percentage"):
        read_number("60%", whole=False)


def test_blank_is_none() -> None:
    for blank in (None, "", "   ", "\t"):
        assert read_number(blank, whole=True) is None
        assert read_id(blank) is None
        assert read_text(blank) is None


def test_ids_lists_choices_text() -> None:
    assert read_id(" p1 ") == "p1"
    assert read_id(2024) == "2024"
    assert read_id(2024.0) == "2024"
    with pytest.raises(CellError, match="as text"):
        read_id(1.5)
    with pytest.raises(CellError):
        read_id(False)
    assert read_id_list("g1, g2;g3  g4") == ["g1", "g2", "g3", "g4"]
    assert read_id_list("(none)") == []
    assert read_id_list("(all)") is None
    assert read_id_list(None) is None
    assert read_id_list(7) == ["7"]
    assert read_choice(" Lump sum ") == "lump_sum"
    assert read_choice("task-based") == "task_based"
    with pytest.raises(CellError):
        read_choice(3)
    assert read_text(" Zorg & Co ") == " Zorg & Co "
    assert read_text(12.0) == "12"


def test_exact_number_cell() -> None:
    assert exact_number_cell(6500.25) == 6500.25
    assert exact_number_cell(0.1 + 0.2) == "0.30000000000000004"
    assert read_number(exact_number_cell(0.1 + 0.2), whole=False) == 0.1 + 0.2


def test_the_readmes_dutch_number_examples_read_as_it_says_in_a_money_column() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    sentence = re.search(r"Dutch number\s+writing is accepted \(([^)]*)\)", readme)
    assert sentence is not None, "the README no longer gives Dutch number examples"
    examples = re.findall(r'"([^"]+)"', sentence.group(1))
    assert examples
    for text in examples:  # money (prices) is the strictest column: not whole, no percent
        assert read_number(text, whole=False) is not None, text
    ambiguous = re.search(r'an ambiguous "([^"]+)" for a price is\s+refused', readme)
    assert ambiguous is not None
    with pytest.raises(CellError, match="ambiguous"):
        read_number(ambiguous.group(1), whole=False)
