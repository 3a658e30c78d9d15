"""``darkroom token USERNAME``: a new API token, printed alone so scripts can capture it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from darkroom.studio.roles import role_of
from darkroom.studio.services import api_token_create


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # no pages involved: start fast
    help = (
        "Print a new API token for a person: only the token, so TOKEN=$(darkroom token alice) "
        "works. Send it as `Authorization: Bearer <token>`; it acts with that person's role. "
        "Darkroom keeps only a hash, so keep the token somewhere safe."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="Whose token it is.")
        parser.add_argument(
            "--label", default="", help="What the token is for (e.g. “accounting export”)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"]
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is nobody called “{username}”. No token was made.")
        if not user.is_active:
            raise CommandError(
                f"{username} is inactive, so a token would not work. No token was made."
            )
        token = api_token_create(user=user, label=options["label"])
        if role_of(user) is None:
            self.stderr.write(
                f"Note: {username} has no role, so the API will refuse their requests "
                "until they are given one."
            )
        self.stdout.write(token)
