"""A webhook receiver on loopback: Python's HTTP server in a thread of the test process, told
how to answer, that records every request and checks its signature with the
``standardwebhooks`` package, holding the secrets a receiver would.

It answers each request with the next of ``answers`` (the last one repeats): a status, a body,
headers, or a hang until the test sets ``release`` (``hanging`` tells the test a request is
being held), so a test sees what actually crossed the wire.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

WAIT = 30  # seconds a test waits for a condition before failing


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: str = "ok"
    headers: dict[str, str] = field(default_factory=dict)
    hang: bool = False  # hold the request until ``release`` is set, then answer


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes
    verified: bool  # with one of the receiver's secrets


@dataclass
class Receiver:
    server: ThreadingHTTPServer
    secrets: list[str] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=lambda: [Answer()])
    received: list[Received] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)
    hanging: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def url(self, path: str = "/hooks") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def answer(self, *answers: Answer) -> None:
        self.answers = list(answers)

    def next_answer(self) -> Answer:
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]

    def verifies(self, body: bytes, headers: dict[str, str]) -> bool:
        for secret in self.secrets:
            try:
                Webhook(secret).verify(body, headers)
            except WebhookVerificationError:
                continue
            return True
        return False

    def wait_for(self, count: int) -> list[Received]:
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.received) >= count, timeout=WAIT), (
                f"{len(self.received)} of {count} requests arrived"
            )
            return list(self.received)

    def ids(self) -> list[str]:
        return [r.headers["webhook-id"] for r in self.received]


def start_receiver() -> Receiver:
    holder: dict[str, Receiver] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _take(self) -> None:
            site = holder["receiver"]
            size = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(size)
            headers = {k.lower(): v for k, v in self.headers.items()}
            answer = site.next_answer()
            with site.arrived:
                site.received.append(
                    Received(self.command, self.path, headers, body, site.verifies(body, headers))
                )
                site.arrived.notify_all()
            if answer.hang:
                site.hanging.set()
                site.release.wait(WAIT)
            data = answer.body.encode()
            try:
                self.send_response(answer.status)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass  # the sender gave up waiting (its timeout) or was stopped

        do_POST = _take
        do_GET = _take

        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet

    class Server(ThreadingHTTPServer):
        request_queue_size = 64  # the sender's threads may connect at once
        daemon_threads = True

    server = Server(("127.0.0.1", 0), Handler)
    site = Receiver(server=server)
    holder["receiver"] = site
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return site


def stop_receiver(site: Receiver) -> None:
    site.release.set()
    site.server.shutdown()
    site.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    site = start_receiver()
    yield site
    stop_receiver(site)


@pytest.fixture
def other_receiver() -> Iterator[Receiver]:
    site = start_receiver()
    yield site
    stop_receiver(site)
