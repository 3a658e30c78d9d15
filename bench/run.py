"""Run Darkroom's benchmarks: every ``bench/bench_*.py`` module's ``main()``, in name order.

``make bench`` calls this. Each benchmark prints its own figures (medians, with what they were
measured against); a name given on the command line runs only the benchmarks whose module name
contains it, e.g. ``python bench/run.py calendar``.

``--smoke`` runs every benchmark at a tiny size, its results still checked (seconds each; the
figures mean nothing): the test suite runs it so a benchmark can't quietly stop working
(``tests/test_benchmarks_smoke.py``). A benchmark that fails is reported and the others still
run; the exit status is 1 if any failed.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
SMOKE_FLAG = "--smoke"


def main(argv: list[str]) -> int:
    wanted = [a for a in argv[1:] if a != SMOKE_FLAG]
    if SMOKE_FLAG in argv[1:]:
        os.environ["DARKROOM_BENCH_SMOKE"] = "1"  # before any benchmark is imported; children too
    modules = sorted(HERE.glob("bench_*.py"))
    if wanted:
        modules = [m for m in modules if any(w in m.stem for w in wanted)]
    if not modules:
        print("no benchmarks to run")
        return 0
    sys.path.insert(0, str(HERE))
    failed: list[str] = []
    for path in modules:
        print(f"== {path.stem}", flush=True)
        started = time.perf_counter()
        try:
            spec = importlib.util.spec_from_file_location(path.stem, path)
            assert spec and spec.loader
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            module.main()
        except Exception:  # one broken benchmark must not hide the others' figures
            traceback.print_exc()
            failed.append(path.stem)
            print(f"FAILED: {path.stem}")
        print(f"({path.stem}: {time.perf_counter() - started:.0f} s)\n", flush=True)
    if failed:
        print(f"{len(failed)} of {len(modules)} benchmarks failed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
