"""JSON text: every problem said in plain words at its path, never the parser's own text."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from solver.cli import app
from solver.errors import InvalidInput
from solver.instance import parse_json_text
from tests.conftest import REPO
from tests.hostile import lone_surrogate_json


@pytest.mark.parametrize(
    ("text", "path", "fragment"),
    [
        (b'{"a": "\\ud800"}', "a", "lone UTF-16 surrogate"),
        (b'{"a": [1, {"b": "x\\udfff"}]}', "a[1].b", "lone UTF-16 surrogate"),
        (b'{"x": ' + b"9" * 5000 + b"}", "", "a number has thousands of digits"),
        (b"[" * 100_000, "", "nested too deeply"),
        (b'{"a": }', "", "Expecting value (line 1, column 7)"),
        (b"\xff\xfe", "", "not UTF-8 text"),
    ],
)
def test_bad_json_text_is_named(text: bytes, path: str, fragment: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_json_text(text)
    [error] = caught.value.errors
    assert error.path == path and fragment in error.message
    assert "set_int_max_str_digits" not in error.message


def test_a_paired_surrogate_is_an_ordinary_character() -> None:
    assert parse_json_text(b'{"a": "\\ud83d\\ude00"}') == {"a": "\U0001f600"}


def test_the_cli_names_a_lone_surrogate_and_exits_2(tmp_path) -> None:
    tiny = json.loads((REPO / "instances" / "tiny.json").read_text())
    path = tmp_path / "bad.json"
    path.write_bytes(lone_surrogate_json(tiny).replace(b'{"instance": ', b"", 1)[:-1])
    done = CliRunner().invoke(app, ["validate", str(path)], env={"COLUMNS": "200"})
    assert done.exit_code == 2 and "name: not text" in done.output, done.output
