"""Running ``darkroom`` as a real process against a data directory of its own.

The subprocesses always use SQLite in a temporary ``DARKROOM_DATA_DIR`` (``DATABASE_URL`` is
removed from their environment), so they prove the commands on both test runs without touching
the test database or anyone else's.
"""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.commands.darkroom_process import START_TIMEOUT, darkroom_argv, darkroom_environment


@pytest.fixture(scope="session")
def migrated_data_dir(tmp_path_factory) -> Path:
    """A data directory whose SQLite database has every migration applied (shared, made once)."""
    data_dir = tmp_path_factory.mktemp("darkroom-data")
    subprocess.run(
        darkroom_argv("migrate", "--no-input", "-v", "0"),
        env=darkroom_environment(data_dir),
        check=True,
        timeout=START_TIMEOUT,
    )
    return data_dir


@pytest.fixture
def run_darkroom() -> Callable[..., subprocess.CompletedProcess[str]]:
    """``run_darkroom(data_dir, "createuser", ...)``: run a command to its end, output captured."""

    def run(data_dir: Path, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            darkroom_argv(*args),
            env=darkroom_environment(data_dir, **extra_env),
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT,
        )

    return run


@pytest.fixture
def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
