"""A real SMTP server for tests (aiosmtpd on a free loopback port) that keeps what it receives."""

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on just now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Inbox:
    """The messages an SMTP server received, with the envelope's recipients."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.messages: list[tuple[list[str], EmailMessage]] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        """Keep the message (aiosmtpd calls this for each one)."""
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        with self._lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        """The messages whose envelope named this recipient."""
        with self._lock:
            return [message for recipients, message in self.messages if address in recipients]

    def wait_for(self, found: Callable[["Inbox"], bool], timeout: float = 15.0) -> None:
        """Wait until the condition holds (mail is sent by a background thread after the commit)."""
        deadline = time.monotonic() + timeout
        while not found(self):
            assert time.monotonic() < deadline, f"no such mail arrived; received {self.subjects()}"
            time.sleep(0.05)

    def subjects(self) -> list[str]:
        """Every subject received, in order."""
        with self._lock:
            return [str(message["Subject"]) for _recipients, message in self.messages]


@contextmanager
def smtp_server(port: int | None = None) -> Iterator[Inbox]:
    """Run an SMTP server on loopback for the duration of the block."""
    inbox = Inbox(port or free_port())
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()
