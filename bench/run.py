"""Run Darkroom's benchmarks: every ``bench/bench_*.py`` module's ``main()``, in name order.

``make bench`` calls this. Each benchmark prints its own figures (medians, with what they were
measured against); a name given on the command line runs only the benchmarks whose module name
contains it, e.g. ``python bench/run.py calendar``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    wanted = argv[1:]
    modules = sorted(HERE.glob("bench_*.py"))
    if wanted:
        modules = [m for m in modules if any(w in m.stem for w in wanted)]
    if not modules:
        print("no benchmarks to run")
        return 0
    sys.path.insert(0, str(HERE))
    for path in modules:
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print(f"== {path.stem}")
        module.main()
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
