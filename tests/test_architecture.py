"""The house rules, pinned: no import circles, an independent checker, a library without HTTP.

The import graph is read from the source (an AST walk over solver/ and api/), every import
counted, also one inside a function: a function-level import that hides a circle is still one.
Each rule is also run on a small broken tree, so a rule that can no longer fail is noticed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGES = ("solver", "api")
MAX_LINES = 400
MAX_TOP_MODULES = 12  # solver/'s own modules beside its packages
# What the independent checker may import of solver: its own package, the instance, the result
# shape and the errors. Nothing of the model, the backends, pricing or the split.
CHECKER_MAY_IMPORT = ("solver.check", "solver.instance", "solver.result", "solver.errors")
SOLVER_LIBRARIES = ("highspy", "ortools", "pulp")


def modules(root: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every module of the packages under `root`."""
    found = {}
    for top in PACKAGES:
        for path in (root / top).rglob("*.py"):
            parts = path.relative_to(root).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def imports(root: Path) -> dict[str, set[str]]:
    """Module -> every module or external name it imports (anywhere in the file)."""
    known = modules(root)
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(_resolve(alias.name, known) for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")
                    base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
                targets.add(_resolve(base, known))
                targets.update(
                    _resolve(f"{base}.{alias.name}", known)
                    for alias in node.names
                    if f"{base}.{alias.name}" in known
                )
        graph[name] = targets - {name}
    return graph


def _resolve(name: str, known: dict[str, Path]) -> str:
    """The module `name` lives in: itself, or its nearest known parent (a name it defines)."""
    candidate = name
    while candidate and candidate not in known:
        candidate = candidate.rpartition(".")[0]
    return candidate or name


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Import circles (strongly connected components of more than one module).

    A package's `__init__` that re-exports its modules imports them like any module, so a module
    that imports its own package back closes a circle too.
    """
    edges = {m: {t for t in ts if t in graph} for m, ts in graph.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan, iterative enough for a few hundred modules
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def _under(name: str, prefixes: Iterable[str]) -> bool:
    """Whether `name` is one of `prefixes` or in one (`solver.check.rules` in `solver.check`)."""
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def forbidden(
    graph: dict[str, set[str]], inside: str, allowed: Iterable[str], watched: Iterable[str]
) -> list[str]:
    """`module -> target` for imports from `inside` of `watched` modules not `allowed`."""
    allowed, watched = tuple(allowed), tuple(watched)
    return sorted(
        f"{m} -> {t}"
        for m, targets in graph.items()
        if _under(m, [inside])
        for t in targets
        if _under(t, watched) and not _under(t, allowed)
    )


def checker_leaks(graph: dict[str, set[str]]) -> list[str]:
    """Imports of the checker outside what it may import of solver."""
    return forbidden(graph, "solver.check", CHECKER_MAY_IMPORT, ["solver"])


# -- the rules on the real tree -------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return imports(REPO)


def test_no_import_circle_in_solver_or_api(graph: dict[str, set[str]]) -> None:
    assert circles(graph) == []


def test_the_checker_imports_nothing_of_model_backends_pricing_or_split(
    graph: dict[str, set[str]],
) -> None:
    assert checker_leaks(graph) == []


def test_the_library_knows_nothing_of_the_service(graph: dict[str, set[str]]) -> None:
    assert forbidden(graph, "solver", [], ["api"]) == []


def test_the_model_imports_no_solver(graph: dict[str, set[str]]) -> None:
    watched = ["solver.backends", "solver.split", "solver.pricing", *SOLVER_LIBRARIES]
    assert forbidden(graph, "solver.model", [], watched) == []


def test_modules_are_small_and_solver_top_is_short() -> None:
    long = [
        f"{path.relative_to(REPO)} ({n} lines)"
        for path in modules(REPO).values()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    ]
    assert long == []
    top = sorted(p.name for p in (REPO / "solver").glob("*.py") if p.name != "__init__.py")
    assert len(top) <= MAX_TOP_MODULES, top


def test_every_package_says_its_responsibility() -> None:
    silent = [
        str(init.relative_to(REPO))
        for top in PACKAGES
        for init in (REPO / top).rglob("__init__.py")
        if not ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
    ]
    assert silent == []


# -- the rules can fail ----------------------------------------------------------------------------


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for top in PACKAGES:
        (root / top).mkdir(exist_ok=True)
        (root / top / "__init__.py").touch()
    return root


def test_a_circle_through_a_function_level_import_is_found(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "solver/a.py": "from solver.b import g\n",
        "solver/b.py": "def g():\n    from solver.a import f  # dodging the circle\n",
    })  # fmt: skip
    assert circles(imports(root)) == [["solver.a", "solver.b"]]


def test_a_module_importing_its_own_reexporting_package_is_a_circle(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "solver/pkg/__init__.py": "from solver.pkg.inner import X\n",
        "solver/pkg/inner.py": "from solver.pkg import Y\n",
    })  # fmt: skip
    assert circles(imports(root)) == [["solver.pkg", "solver.pkg.inner"]]


def test_a_checker_that_prices_the_plan_itself_leaks(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "solver/check/__init__.py": "",
        "solver/check/money.py": "from solver.pricing.costs import evaluate_plan\n",
        "solver/check/rules.py": "from solver.instance import Instance\nimport solver.result\n",
        "solver/pricing/__init__.py": "",
        "solver/pricing/costs.py": "",
        "solver/instance/__init__.py": "",
        "solver/result.py": "",
    })  # fmt: skip
    assert checker_leaks(imports(root)) == ["solver.check.money -> solver.pricing.costs"]


def test_a_library_module_that_imports_the_service_is_found(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "solver/cli.py": "def serve():\n    from api.app import create_app\n",
        "api/app.py": "",
    })  # fmt: skip
    assert forbidden(imports(root), "solver", [], ["api"]) == ["solver.cli -> api.app"]
