"""``darkroom worker``: django-tasks-db's worker, run for real on a queued job."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from django_tasks import task

from tests.commands.darkroom_process import START_TIMEOUT, darkroom_environment

# The worker process imports this module to find the job, by the name pytest gave it.
IMPORT_ROOT = Path(__file__).resolve().parents[len(__name__.split(".")) - 1]


@task()
def add_up(a: int, b: int) -> int:
    """A trivial background job."""
    return a + b


def python_in(data_dir: Path, script: str) -> str:
    """Run a Django script in its own process against ``data_dir``; its standard output."""
    program = "import django; django.setup()\n" + textwrap.dedent(script)
    env = darkroom_environment(data_dir, PYTHONPATH=str(IMPORT_ROOT))
    done = subprocess.run(
        [sys.executable, "-c", program],
        env=env,
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_worker_help_explains_itself(run_darkroom, tmp_path):
    shown = run_darkroom(tmp_path, "worker", "--help")
    assert shown.returncode == 0, shown.stderr
    assert "background worker" in shown.stdout
    assert "--batch" in shown.stdout
    assert "--queue-name" in shown.stdout


def test_worker_runs_a_queued_job(run_darkroom, migrated_data_dir):
    job_id = python_in(
        migrated_data_dir,
        f"""
        from {__name__} import add_up
        print(add_up.enqueue(2, 3).id)
        """,
    )

    worked = run_darkroom(
        migrated_data_dir,
        "worker",
        "--batch",
        "--no-startup-delay",
        PYTHONPATH=str(IMPORT_ROOT),
    )
    assert worked.returncode == 0, worked.stderr

    outcome = python_in(
        migrated_data_dir,
        f"""
        from {__name__} import add_up
        result = add_up.get_result({job_id!r})
        print(result.status, result.return_value)
        """,
    )
    assert outcome == "SUCCESSFUL 5"


def test_worker_refuses_an_unmigrated_database(run_darkroom, tmp_path):
    refused = run_darkroom(tmp_path, "worker", "--batch")
    assert refused.returncode == 2
    assert "Run `darkroom migrate` first" in refused.stderr
