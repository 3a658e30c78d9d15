"""How the tests start ``darkroom`` as a real process: SQLite in a data directory of its own."""

from __future__ import annotations

import os
import sys
from pathlib import Path

START_TIMEOUT = 120  # seconds; a loaded CI machine can be slow to import everything


def darkroom_environment(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a ``darkroom`` process on SQLite in ``data_dir``, with DEBUG off."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "DARKROOM_DEBUG", "DARKROOM_TEST_DB"}
    }
    env.update(
        DARKROOM_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="darkroom.settings",
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


def darkroom_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "darkroom", *args]
