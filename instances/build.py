"""Rebuild the bundled instances from code (`solver.generate.bundled`), or check for drift.

python instances/build.py           # rewrite instances/<name>.json
python instances/build.py --check   # exit 1 if any file differs from what the code builds
python instances/build.py --manifest  # also solve each one (120 s limit) into manifest.json

The horizon instances (`HORIZONS`) are a bundled region with a horizon (SPEC §8).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from solver.generate.bundled import BUNDLED, HORIZONS, bundled_instance, horizon_instance
from solver.generate.region import dumps_instance
from solver.instance import parse_instance
from solver.options import SolveOptions
from solver.solve import solve

HERE = Path(__file__).resolve().parent
log = logging.getLogger("instances.build")


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check, compare) every bundled instance; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    parser.add_argument("--manifest", action="store_true", help="solve and write manifest.json")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    drifted = []
    for name in [*BUNDLED, *HORIZONS]:
        path = HERE / f"{name}.json"
        text = dumps_instance(_raw(name))
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                drifted.append(name)
        else:
            path.write_text(text, encoding="utf-8")
            log.info("wrote %s (%d bytes)", path.name, len(text.encode()))
    if args.manifest:
        write_manifest()
    if drifted:
        log.error("out of date: %s (run python instances/build.py)", ", ".join(drifted))
        return 1
    return 0


def write_manifest(time_limit_s: float = 120.0) -> None:
    """Solve every bundled instance and record status, objective, regional cost and contracts."""
    manifest = {}
    for name in [*BUNDLED, *HORIZONS]:
        result = solve(
            parse_instance(_raw(name)),
            options=SolveOptions(time_limit_s=time_limit_s),
        )
        manifest[name] = {
            "status": result.status.value,
            "objective": None if result.objective is None else round(result.objective, 2),
            "regional_cost": None
            if result.regional_cost is None
            else round(result.regional_cost, 2),
            "contracts": len(result.contracts),
        }
        log.info("%s: %s", name, manifest[name])
    text = json.dumps(manifest, indent=1) + "\n"
    (HERE / "manifest.json").write_text(text, encoding="utf-8")


def _raw(name: str) -> dict:
    return horizon_instance(name) if name in HORIZONS else bundled_instance(name)


if __name__ == "__main__":
    sys.exit(main())
