"""``darkroom serve``: gunicorn for real, pages and static files with DEBUG off, clean stops."""

from __future__ import annotations

import signal
import socket
import subprocess
import urllib.request

import pytest

from tests.commands.darkroom_process import START_TIMEOUT, darkroom_argv, darkroom_environment

ATTEMPTS = 1200  # × up to 0.1 s each: the server gets two minutes to start


def wait_until_listening(server: subprocess.Popen, port: int) -> None:
    """Try to connect until the server accepts; fail early if it exits instead."""
    for _ in range(ATTEMPTS):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            try:
                server.wait(timeout=0.1)
            except subprocess.TimeoutExpired:
                continue
            output, errors = server.communicate()
            pytest.fail(f"darkroom serve exited with {server.returncode}: {errors}{output}")
    pytest.fail(f"darkroom serve did not listen on port {port}")


def fetch(port: int, path: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
        return response.status, response.headers["Content-Type"], response.read().decode()


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_serve_answers_pages_and_static_files_then_stops(migrated_data_dir, free_port, stop):
    server = subprocess.Popen(
        darkroom_argv("serve", "--port", str(free_port)),
        env=darkroom_environment(migrated_data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_listening(server, free_port)

        status, kind, page = fetch(free_port, "/login/")
        assert status == 200 and kind.startswith("text/html")
        assert 'name="username"' in page and 'name="password"' in page
        assert "csrfmiddlewaretoken" in page

        status, kind, css = fetch(free_port, "/static/darkroom/darkroom.css")
        assert status == 200 and kind.startswith("text/css")
        assert ".btn" in css
        status, kind, _ = fetch(free_port, "/static/darkroom/htmx.min.js")
        assert status == 200 and "javascript" in kind

        server.send_signal(stop)
        output, errors = server.communicate(timeout=START_TIMEOUT)
    finally:
        server.kill()
        server.wait()

    assert server.returncode == 0, errors
    assert f"Darkroom is serving My Studio at http://127.0.0.1:{free_port}/" in output
    assert output.rstrip().endswith("Darkroom has stopped.")


def test_serve_refuses_an_unmigrated_database(run_darkroom, tmp_path, free_port):
    refused = run_darkroom(tmp_path, "serve", "--port", str(free_port))
    assert refused.returncode == 2
    assert "Run `darkroom migrate` first" in refused.stderr
    assert "Darkroom is serving" not in refused.stdout


def test_serve_refuses_a_port_in_use(run_darkroom, migrated_data_dir):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        refused = run_darkroom(migrated_data_dir, "serve", "--port", str(port))
    assert refused.returncode == 2
    assert "already running there" in refused.stderr
