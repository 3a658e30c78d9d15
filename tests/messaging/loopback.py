"""Real servers on loopback for the delivery tests: an SMTP server (aiosmtpd) and an SMS gateway
(Python's HTTP server), each in a thread of the test process, told how to answer.

Both record what they received, so a test checks what actually crossed the wire.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller

WAIT = 30  # seconds a test waits for a condition before failing


def free_loopback_port() -> int:
    """A port nobody listens on now (aiosmtpd's Controller(port=0) fails: pick one first)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# -- SMTP -------------------------------------------------------------------------------------


@dataclass
class MailServer:
    """An SMTP server on loopback. ``answers[address]`` is the reply to RCPT TO that address
    (e.g. "451 4.7.1 Try again later"); ``hold`` makes DATA wait, after recording the mail,
    until ``release`` is set (``in_data`` tells the test it is there)."""

    port: int
    received: list[EmailMessage] = field(default_factory=list)
    answers: dict[str, str] = field(default_factory=dict)
    connections: int = 0
    hold: bool = False
    in_data: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    arrived: threading.Condition = field(default_factory=threading.Condition)
    controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    # aiosmtpd's handler hooks
    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        answer = self.answers.get(address)
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        mail = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.arrived:
            self.received.append(mail)  # type: ignore[arg-type]
            self.arrived.notify_all()
        if self.hold:
            self.in_data.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait)
        return "250 Message accepted for delivery"

    def start(self) -> MailServer:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, ready_timeout=WAIT)
        self.controller.start()
        return self

    def stop(self) -> None:
        self.release.set()
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def wait_for(self, count: int) -> list[EmailMessage]:
        """Wait until ``count`` mails have arrived (a test failure after WAIT seconds)."""
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.received) >= count, timeout=WAIT), (
                f"{len(self.received)} of {count} mails arrived"
            )
            return list(self.received)

    def message_ids(self) -> list[str]:
        return [str(mail["Message-ID"]) for mail in self.received]


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    server = MailServer(port=free_loopback_port()).start()
    yield server
    server.stop()


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that takes connections and never says a word (an SMTP server hung)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield int(listener.getsockname()[1])
    listener.close()


# -- SMS gateway ------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # a dict or list is sent as JSON, a str as it is
    headers: dict[str, str] = field(default_factory=dict)
    hang: bool = False  # wait until the gateway's ``release`` is set, then answer


@dataclass
class Gateway:
    """An HTTP SMS gateway on loopback: answers each POST with the next of ``replies`` (the
    last one repeats), records each request (path, headers, JSON body)."""

    server: ThreadingHTTPServer
    replies: list[Reply] = field(default_factory=lambda: [Reply(200, {"id": "gw-1"})])
    requests: list[dict[str, Any]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def url(self, *, user: str = "studio", password: str = "s3cret", path: str = "/sms") -> str:
        return f"http://{user}:{password}@127.0.0.1:{self.port}{path}"

    def answer(self, *replies: Reply) -> None:
        self.replies = list(replies)

    def next_reply(self) -> Reply:
        return self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    holder: dict[str, Gateway] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            size = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(size)
            site = holder["gateway"]
            site.requests.append(
                {
                    "path": self.path,
                    "headers": dict(self.headers.items()),
                    "json": json.loads(raw or b"null"),
                }
            )
            reply = site.next_reply()
            if reply.hang:
                site.release.wait(WAIT)
            body = reply.body
            data = (
                json.dumps(body).encode()
                if isinstance(body, dict | list)
                else (body or "").encode()
            )
            self.send_response(reply.status)
            content_type = "application/json" if isinstance(body, dict | list) else "text/plain"
            self.send_header("Content-Type", content_type)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site = Gateway(server=server)
    holder["gateway"] = site
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield site
    site.release.set()
    server.shutdown()
    server.server_close()
