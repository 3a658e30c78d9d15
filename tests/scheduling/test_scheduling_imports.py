"""darkroom.scheduling imports without Django configured and needs only the standard library.

It runs in a fresh interpreter so that nothing this test session already imported (pytest,
hypothesis, numpy, Django via other tests' conftest) can hide a stray import.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"

PROBE = """
import json, sys
before = set(sys.modules)
import darkroom.scheduling
from darkroom.scheduling import *  # noqa: F403
new = sorted(set(sys.modules) - before)
print(json.dumps({"new": new, "stdlib": sorted(sys.stdlib_module_names)}))
"""


def test_imports_without_django_and_only_the_standard_library() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    report = json.loads(result.stdout)
    new: list[str] = report["new"]
    stdlib = set(report["stdlib"])

    assert "darkroom.scheduling" in new
    assert not [m for m in new if m.split(".")[0].startswith("django")]
    outside = [m for m in new if m.split(".")[0] not in stdlib and m.split(".")[0] != "darkroom"]
    assert outside == []
    ours = {m for m in new if m.split(".")[0] == "darkroom"}
    assert ours <= {
        "darkroom",
        "darkroom.scheduling",
        "darkroom.scheduling.calendar",
        "darkroom.scheduling.schedules",
    }
