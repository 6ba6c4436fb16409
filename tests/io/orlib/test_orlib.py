"""OR-Library readers: parsing, errors naming file and line, and faithful conversion.

Faithfulness is checked three ways on small files: the ORIGINAL problem (cap, p-median, set cover)
is modelled here straight from the raw file and solved with scipy's `milp`; the converted SPEC
instance is solved with a small independent MILP of the SPEC rules these instances use; and, when
`solver.solve` is importable, with the real solver. All three must hit optima.csv.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from solver.errors import InvalidInput
from solver.instance import parse_instance
from solver.io.orlib import (
    convert,
    known_optimum,
    listed_capacities,
    read_cap,
    read_pmed,
    read_scp,
)
from tests.conftest import SHARED as SHARED_ROOT
from tests.orlib_models import original_cap, original_pmed, original_scp, spec_optimum

SHARED = SHARED_ROOT / "orlib"
needs_shared = pytest.mark.skipif(
    not (SHARED / "optima.csv").is_file(),
    reason=f"OR-Library data not found at {SHARED} (clone the shared data next to the repo)",
)
REL = 1e-6


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _close(value: float, expected: float) -> bool:
    return abs(value - expected) <= REL * max(1.0, abs(expected))


# ------------------------------------------------------------------------------------------------
# Small hand-made files: layout, mapping and errors (no shared data needed)

CAP_TINY = """ 2 3
 10 100.
 capacity 50.
 4
 8.0 2.
 0
 3 7
 2 6.5 1 """


def test_cap_placeholder_zero_demand_and_wrapping(tmp_path):
    path = _write(tmp_path, "tiny.txt", CAP_TINY.replace("capacity", "7"))
    raw = convert("orlib-cap", path)
    inst = parse_instance(raw)
    assert [m.id for m in inst.municipalities] == ["c0001", "c0002", "c0003"]
    assert [p.id for p in inst.providers] == ["f001", "f002"]
    assert [(d.municipality, d.care_type, d.clients) for d in inst.demand] == [
        ("c0001", "care", 4),
        ("c0003", "care", 2),
        ("c0002", "zero_demand", 1),
    ]
    f1, f2 = inst.providers
    assert f1.contract_cost == 100 and f1.offers[0].capacity == 10
    assert f1.access_cost == {"c0001": 2.0, "c0002": 3.0, "c0003": 3.25}
    assert f2.access_cost == {"c0001": 0.5, "c0002": 7.0, "c0003": 0.5}
    assert f2.offers[1].care_type == "zero_demand" and f2.offers[1].capacity == 1
    # Best: f2 alone (capacity 7 ≥ 4 + 2): 50 + 4 × 0.5 + 7 (the zero-demand customer) + 2 × 0.5.
    assert _close(spec_optimum(raw), 60.0)
    assert _close(original_cap(path), 60.0)


def test_cap_placeholder_needs_capacity(tmp_path):
    path = _write(tmp_path, "capz.txt", CAP_TINY.replace(" 10 100.", " capacity 100."))
    with pytest.raises(InvalidInput) as err:
        convert("orlib-cap", path)
    assert str(err.value.errors[0]).startswith(f"{path}:2: the capacities are the word")
    raw = convert("orlib-cap", path, capacity=3)
    assert raw["name"] == "capz-3"
    assert [p["offers"][0]["capacity"] for p in raw["providers"]] == [3, 3]
    uncap = convert("orlib-ucap", path)
    assert uncap["name"] == "capz"
    assert [p["offers"][0]["capacity"] for p in uncap["providers"]] == [6, 6]
    # Uncapacitated: f2 alone serves all: 50 + 1×4×0.5 + 7 + 1.
    assert _close(spec_optimum(uncap), 60.0)
    with pytest.raises(InvalidInput, match="only applies to orlib-cap"):
        convert("orlib-ucap", path, capacity=3)


@pytest.mark.parametrize(
    ("family", "text", "where", "says"),
    [
        (
            "orlib-cap",
            "2 1\n5 1\n5 x\n3\n1 1\n",
            ":3:",
            "fixed cost of warehouse 2: expected a number",
        ),
        ("orlib-cap", "2 1\n5 1\n5 1\n3.5\n1 1\n", ":4:", "demand of customer 1: expected a whole"),
        ("orlib-cap", "2 1\n5 1\n5 1\n3\n1 -1\n", ":5:", "cost c[2][1]: must be ≥ 0"),
        ("orlib-cap", "2 1\n5 1\n5 1\n3\n1 nan\n", ":5:", "expected a finite number"),
        ("orlib-cap", "2 1\n5 1\n5 1\n3\n1\n", ":5:", "the file ends early"),
        ("orlib-cap", "2 1\n5 1\n5 1\n3\n1 1\n\n9\n", ":7:", "unexpected data"),
        ("orlib-cap", "2 1\n5 1\ncapacity 1\n3\n1 1\n", ":2:", "every capacity is the word"),
        ("orlib-cap", "2 1\n5 1\n5 1\n", ":3:", "needs 9 numbers, it has 6"),
        ("orlib-cap", "two 1\n", ":1:", "expected the number of warehouses m"),
        ("orlib-cap", "", ":1:", "the file ends"),
        (
            "orlib-pmed",
            "3 2 1\n1 2 5\n2 4 1\n",
            ":3:",
            "edge 2: second vertex: must be a vertex 1..3",
        ),
        ("orlib-pmed", "3 2 1\n1 2 5\n2 0 1\n", ":3:", "edge 2: second vertex: must be ≥ 1"),
        ("orlib-pmed", "3 2 4\n1 2 5\n2 3 1\n", ":1:", "p = 4 medians"),
        ("orlib-pmed", "3 2 1\n1 2 5\n2 3\n", ":3:", "the file ends early"),
        ("orlib-scp", "2 3\n1 1 1\n1 1\n2 3 4\n", ":4:", "row 2: a column number must be 1..3"),
        ("orlib-scp", "2 3\n1 1 1\n1 1\n2 3\n", ":4:", "column numbers of row 2 are missing"),
        ("orlib-scp", "2 3\n1 1 1\n1 1\n", ":3:", "rows 2..2 are missing"),
        ("orlib-scp", "2 3\n1 1 1\n1 1\n1 3 7\n", ":4:", "unexpected data after row 2"),
        ("orlib-scp", "2 3\n1 1\n", ":2:", "the file ends early"),
    ],
)
def test_bad_files_name_file_and_line(tmp_path, family, text, where, says):
    path = _write(tmp_path, "bad.txt", text)
    with pytest.raises(InvalidInput) as err:
        convert(family, path)
    message = str(err.value.errors[0])
    assert message.startswith(f"{path}{where}"), message
    assert says in message, message


def test_unreadable_file(tmp_path):
    with pytest.raises(InvalidInput, match="cannot read"):
        convert("orlib-scp", tmp_path / "missing.txt")
    path = tmp_path / "bin.txt"
    path.write_bytes(b"2 \xe9\n")
    with pytest.raises(InvalidInput, match=r"bin.txt:1: .*found '\xe9'"):
        convert("orlib-scp", path)


def test_pmed_last_repeated_edge_wins_and_disconnected(tmp_path):
    # 1-2 listed twice: the last cost (10) counts, so 1 reaches 2 via 3 (3 + 4 = 7).
    path = _write(tmp_path, "g.txt", "4 4 2\n1 2 1\n1 3 3\n3 2 4\n2 1 10\n")
    problem = read_pmed(path)
    assert problem.distance[0, 1] == 7 and problem.distance[1, 0] == 7
    assert np.isinf(problem.distance[0, 3])
    raw = convert("orlib-pmed", path)
    assert raw["policy"] == {"max_contracts": 2}
    f1, f4 = raw["providers"][0], raw["providers"][3]
    assert f1["municipalities"] == ["c0001", "c0002", "c0003"]
    assert f1["access_cost"] == {"c0002": 7, "c0003": 3}
    assert f4["municipalities"] == ["c0004"] and f4["access_cost"] == {}
    parse_instance(raw)
    # Vertex 4 must be its own median; the other one at 3 serves 1 (3) and 2 (4).
    assert _close(spec_optimum(raw), 7.0)


def test_scp_mapping(tmp_path):
    path = _write(tmp_path, "s.txt", "3 4\n 5 1 1 9\n2 1 3\n3 1 2 2\n1 4\n")
    problem = read_scp(path)
    assert problem.pair_col.tolist() == [0, 0, 1, 2, 3]
    raw = convert("orlib-scp", path)
    f = raw["providers"]
    assert [p["municipalities"] for p in f] == [["c0001", "c0002"], ["c0002"], ["c0001"], ["c0003"]]
    assert [p["offers"][0]["capacity"] for p in f] == [2, 1, 1, 1]
    assert [p["contract_cost"] for p in f] == [5, 1, 1, 9]
    parse_instance(raw)
    assert _close(spec_optimum(raw), 11.0)
    assert _close(original_scp(path), 11.0)


def test_known_optimum_without_data(tmp_path):
    assert known_optimum("cap", "cap41", tmp_path) is None
    assert listed_capacities("capa", tmp_path) == []
    with pytest.raises(ValueError, match="unknown OR-Library family"):
        known_optimum("tsp", "x", tmp_path)


# ------------------------------------------------------------------------------------------------
# The shared OR-Library files


@needs_shared
def test_known_optimum_reads_optima_csv():
    assert known_optimum("cap", "cap41") == 1040444.375
    assert known_optimum("orlib-cap", "capa-8000") == 19240822.449
    assert known_optimum("orlib-ucap", "capa") == 17156454.478
    assert known_optimum("pmed", "pmed1") == 5819
    assert known_optimum("orlib-scp", "scp41") == 429
    assert known_optimum("scp", "nope") is None
    assert known_optimum("cap", "capa") is None  # capa needs a capacity to be a cap instance
    assert listed_capacities("capa") == [8000, 10000, 12000, 14000]
    assert listed_capacities("capc") == [5000, 5750, 6500, 7250]


@needs_shared
@pytest.mark.parametrize(
    ("family", "file", "capacity", "providers", "municipalities"),
    [
        ("orlib-cap", "cap/cap41.txt", None, 16, 50),
        ("orlib-cap", "cap/cap134.txt", None, 50, 50),
        ("orlib-cap", "cap/capb.txt", 5000, 100, 1000),
        ("orlib-ucap", "cap/capc.txt", None, 100, 1000),
        ("orlib-pmed", "pmed/pmed1.txt", None, 100, 100),
        ("orlib-scp", "scp/scp41.txt", None, 1000, 200),
        ("orlib-scp", "scp/scpe1.txt", None, 500, 50),
    ],
)
def test_shared_files_convert_and_validate(family, file, capacity, providers, municipalities):
    raw = convert(family, SHARED / file, capacity=capacity)
    inst = parse_instance(json.loads(json.dumps(raw)))  # as written to disk
    assert len(inst.providers) == providers and len(inst.municipalities) == municipalities
    assert known_optimum(family, inst.name) is not None


@needs_shared
def test_cap_file_values():
    problem = read_cap(SHARED / "cap" / "cap41.txt")
    assert problem.alloc_cost.shape == (16, 50)
    assert problem.demand.sum() == 58268  # README §1: total demand of every small file
    assert (problem.capacity == 5000).all()
    assert (problem.fixed_cost == 0).sum() == 1 and problem.fixed_cost[10] == 0


@needs_shared
@pytest.mark.parametrize(
    ("family", "name", "original"),
    [
        ("orlib-cap", "cap/cap41.txt", original_cap),
        ("orlib-pmed", "pmed/pmed1.txt", original_pmed),
        ("orlib-scp", "scp/scp41.txt", original_scp),
    ],
)
def test_conversion_is_faithful(family, name, original):
    """Original model, converted SPEC instance (independent MILP) and optima.csv agree."""
    path = SHARED / name
    raw = convert(family, path)
    expected = known_optimum(family, raw["name"])
    assert expected is not None
    assert _close(original(path), expected)
    assert _close(spec_optimum(raw), expected)


def _solver():
    try:
        from solver.options import SolveOptions
        from solver.solve import solve
    except ImportError as exc:
        pytest.skip(f"solver.solve is not importable yet: {exc}")
    return solve, SolveOptions


@needs_shared
@pytest.mark.parametrize(
    ("family", "name"),
    [
        ("orlib-cap", "cap41"),
        ("orlib-ucap", "cap71"),
        ("orlib-pmed", "pmed1"),
        ("orlib-scp", "scp41"),
    ],
)
def test_solver_reaches_known_optimum(family, name):
    solve, options = _solver()
    folder = {"orlib-cap": "cap", "orlib-ucap": "cap", "orlib-pmed": "pmed", "orlib-scp": "scp"}
    raw = convert(family, SHARED / folder[family] / f"{name}.txt")
    result = solve(parse_instance(raw), options=options(time_limit_s=60))
    assert result.status == "optimal", result
    assert _close(result.objective, known_optimum(family, name))


def test_solver_on_zero_demand_customer(tmp_path):
    solve, options = _solver()
    path = _write(tmp_path, "tiny.txt", CAP_TINY.replace("capacity", "7"))
    result = solve(parse_instance(convert("orlib-cap", path)), options=options(time_limit_s=10))
    assert result.status == "optimal", result
    assert _close(result.objective, 60.0)


# ------------------------------------------------------------------------------------------------
# The command line


def _cli():
    """The Typer app with every command module imported (skip while one of them is missing)."""
    try:
        from solver.cli import app
    except ImportError as exc:
        pytest.skip(f"the CLI package does not import yet: {exc}")
    from typer.testing import CliRunner

    return app, CliRunner()


@needs_shared
def test_cli_convert(tmp_path):
    app, runner = _cli()
    out = tmp_path / "capa.json"
    args = ["convert", "orlib-cap", str(SHARED / "cap" / "capa.txt"), "--capacity", "8000"]
    done = runner.invoke(app, [*args, "-o", str(out)])
    assert done.exit_code == 0, done.output
    assert "known optimum 19240822.449" in " ".join(done.output.split())
    raw = json.loads(out.read_text())
    assert raw["name"] == "capa-8000"
    parse_instance(raw)
    done = runner.invoke(app, ["convert", "orlib-scp", str(SHARED / "scp" / "scp41.txt")])
    assert done.exit_code == 0
    assert json.loads(done.stdout)["name"] == "scp41"


def test_cli_bad_file_exits_2(tmp_path):
    app, runner = _cli()
    path = _write(tmp_path, "bad.txt", "2 1\n5 1\n5 x\n3\n1 1\n")
    done = runner.invoke(app, ["convert", "orlib-cap", str(path), "-o", str(tmp_path / "o.json")])
    assert done.exit_code == 2
    assert "bad.txt:3: fixed cost of warehouse 2" in " ".join(done.output.split())
    assert "Traceback" not in done.output
    assert not (tmp_path / "o.json").exists()
    done = runner.invoke(app, ["convert", "orlib-tsp", str(path)])
    assert done.exit_code == 2
