"""``darkroom createuser USERNAME --role manager|staff|readonly``: someone who can log in."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from darkroom.studio.roles import Role
from darkroom.studio.services import user_create


def explain(error: ValidationError) -> str:
    """A ValidationError as plain sentences, each field's messages after its name."""
    if hasattr(error, "error_dict"):
        return " ".join(
            f"{'' if name == '__all__' else name.replace('_', ' ').capitalize() + ': '}"
            f"{' '.join(messages)}"
            for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # no pages involved: start fast
    stealth_options = ("stdin",)  # call_command(..., stdin=...) stands in for the terminal
    help = (
        "Create a person who can log in, with a role: manager (maintains everything), staff "
        "(works on clients, sessions, invoices and orders) or readonly (sees everything, changes "
        "nothing). Without --password the password is asked twice at the terminal."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The name they log in with.")
        parser.add_argument(
            "--role", required=True, choices=[role.value for role in Role], help="Their role."
        )
        parser.add_argument("--password", help="Their password (else asked at the terminal).")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"]
        password = options["password"]
        if password is None:
            password = self.ask_password(username, options.get("stdin", sys.stdin))
        try:
            user = user_create(
                username=username,
                password=password,
                role=options["role"],
                first_name=options["first_name"],
                last_name=options["last_name"],
                email=options["email"],
            )
        except ValidationError as exc:
            raise CommandError(f"{explain(exc)} Nobody was created.") from None
        role = Role(options["role"])
        self.stdout.write(f"Created {user.username} ({role.label}). They can log in now.")

    def ask_password(self, username: str, stdin: Any) -> str:
        """The password typed twice at the terminal; without one, say how to give it instead."""
        if not stdin.isatty():
            raise CommandError(
                "No password given and no terminal to ask for one: pass --password. "
                "Nobody was created."
            )
        try:
            first = getpass.getpass(f"Password for {username}: ")
            second = getpass.getpass("The same password again: ")
        except (EOFError, KeyboardInterrupt):
            raise CommandError("Cancelled. Nobody was created.") from None
        if first != second:
            raise CommandError("The two passwords differ. Nobody was created.")
        return first
