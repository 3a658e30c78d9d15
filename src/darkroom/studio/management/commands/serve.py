"""``darkroom serve``: Darkroom behind gunicorn, the production web server (not runserver).

gunicorn runs in this process (its master), with threaded workers: a studio's traffic is many
short requests and some slow ones (exports, PDFs), which threads overlap well. Static files are
served by WhiteNoise from the app's own static folders (``WHITENOISE_USE_FINDERS``), so nothing
has to be collected first. Ctrl-C stops gracefully like SIGTERM: requests in hand finish, new
ones are refused; a second Ctrl-C stops at once.
"""

from __future__ import annotations

import argparse
import signal
import socket
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter
from gunicorn.workers.gthread import ThreadWorker

from darkroom.studio.management.commands._preflight import (
    NOT_READY,
    database_description,
    require_migrated_database,
)
from darkroom.studio.selectors import studio_preferences

WORKERS = 2  # processes: suits a 2-core machine; raise with the cores
THREADS = 4  # per process
GRACEFUL_SECONDS = 20
REQUEST_TIMEOUT_SECONDS = 120  # big Excel exports and PDFs may take a while


class GracefulThreadWorker(ThreadWorker):
    """A gthread worker that takes Ctrl-C (which the terminal sends to every process of the
    server) like SIGTERM: finish the requests in hand, then exit."""

    def init_signals(self) -> None:
        super().init_signals()
        signal.signal(signal.SIGINT, self.handle_exit)


class GracefulArbiter(Arbiter):
    """The gunicorn master, stopping gracefully on Ctrl-C too (a second Ctrl-C is immediate)."""

    def handle_int(self) -> None:
        raise StopIteration


class DarkroomServer(BaseApplication):  # type: ignore[misc]
    """gunicorn configured from the command's options, serving ``darkroom.wsgi``."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        for name, value in self.settings.items():
            self.cfg.set(name, value)

    def load(self) -> Any:
        # Imported when gunicorn loads the application, not when the command is read: importing
        # it builds the WSGI application.
        from darkroom.wsgi import application

        return application

    def run(self) -> None:
        try:
            GracefulArbiter(self).run()
        except RuntimeError as exc:
            raise CommandError(f"The server could not start: {exc}", returncode=1) from exc


def _port(value: str) -> int:
    number = int(value)
    if not 0 < number < 65536:
        raise argparse.ArgumentTypeError("a port is a number from 1 to 65535")
    return number


def _at_least_one(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _refuse_if_port_taken(host: str, port: int) -> None:
    """A clear message now beats gunicorn retrying a taken address for five seconds."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise CommandError(
                f"Can't listen on {host} port {port}: {exc.strerror}. Is Darkroom (or another "
                "server) already running there? Choose another port with --port.",
                returncode=NOT_READY,
            ) from exc


class Command(BaseCommand):
    help = (
        "Serve Darkroom with gunicorn, the production web server, until Ctrl-C or SIGTERM. "
        "Run `darkroom migrate` first, and `darkroom worker` next to it for background jobs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            help="Address to listen on; 0.0.0.0 listens on every network interface "
            "(default: %(default)s, this machine only).",
        )
        parser.add_argument("--port", type=_port, default=8000, help="Default: %(default)s.")
        parser.add_argument(
            "--workers",
            type=_at_least_one,
            default=WORKERS,
            help="Worker processes (default: %(default)s, for a 2-core machine).",
        )
        parser.add_argument(
            "--threads",
            type=_at_least_one,
            default=THREADS,
            help="Threads per worker process (default: %(default)s).",
        )
        parser.add_argument(
            "--access-log", action="store_true", help="Log every request to the standard output."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host: str = options["host"]
        port: int = options["port"]
        require_migrated_database()
        studio_name = studio_preferences().name
        nobody_yet = not get_user_model().objects.exists()
        database = database_description()
        # The workers are forked from this process: they must open their own connections.
        connections.close_all()
        _refuse_if_port_taken(host, port)

        shown_host = f"[{host}]" if ":" in host else host
        url = f"http://{shown_host}:{port}/"
        lines = [
            "",
            f"  Darkroom is serving {studio_name} at {url}",
            "",
            f"  Data: {database}",
            f"  {options['workers']} worker processes × {options['threads']} threads. "
            "Stop with Ctrl-C.",
        ]
        if host in {"0.0.0.0", "::"}:
            lines.append(
                "  Listening on every network interface: browse to this machine's name or "
                "address, and list it in DARKROOM_ALLOWED_HOSTS."
            )
        if nobody_yet:
            lines.append(
                "  Nobody can log in yet: run `darkroom createuser NAME --role manager` "
                "(or `darkroom demo` for the demo studio)."
            )
        banner = "\n".join([*lines, ""])

        def announce(server: Any) -> None:
            self.stdout.write(banner)
            self.stdout.flush()

        def farewell(server: Any) -> None:
            self.stdout.write("Darkroom has stopped.")
            self.stdout.flush()

        DarkroomServer(
            {
                "bind": [f"{shown_host}:{port}"],
                "workers": options["workers"],
                "threads": options["threads"],
                "worker_class": GracefulThreadWorker,
                "accesslog": "-" if options["access_log"] else None,
                "errorlog": "-",
                "loglevel": "info" if options["verbosity"] >= 2 else "warning",
                "graceful_timeout": GRACEFUL_SECONDS,
                "timeout": REQUEST_TIMEOUT_SECONDS,
                "proc_name": "darkroom",
                # gunicorn's control socket lives at one path per user: two servers would clash.
                "control_socket_disable": True,
                "when_ready": announce,
                "on_exit": farewell,
            }
        ).run()
