"""``darkroom token USERNAME``: make, list or revoke a person's API tokens.

Making one prints the token alone so scripts can capture it. ``--revoke`` alone revokes every
token of that person (the answer to "their laptop was stolen"); with ``--name`` or ``--id`` it
revokes only those.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from darkroom.studio.management.commands.createuser import explain
from darkroom.studio.models import ApiToken
from darkroom.studio.roles import role_of
from darkroom.studio.selectors import api_tokens_of, studio_preferences
from darkroom.studio.services import (
    UNNAMED_TOKEN,
    api_token_expiry,
    api_token_issue,
    api_token_revoke,
    api_tokens_revoke_all,
)

MAX_DAYS = 3650


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"“{text}” is not a date: write it as 2027-01-01.") from None


def _when(moment: dt.datetime | None, zone: zoneinfo.ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else "-"


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # no pages involved: start fast
    help = (
        "Make a new API token for a person and print only the token, so TOKEN=$(darkroom token "
        "alice) works. Send it as `Authorization: Bearer <token>`; it acts with that person's "
        "role. Darkroom keeps only a hash, so keep the token somewhere safe. --list shows their "
        "tokens; --revoke revokes all of them, or only those picked with --name or --id."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="Whose tokens.")
        parser.add_argument(
            "--name",
            "--label",
            dest="name",
            help=f"What the token is for (e.g. “Lab sync”); default “{UNNAMED_TOKEN}”. "
            "With --revoke: revoke only the tokens with this name.",
        )
        when = parser.add_mutually_exclusive_group()
        when.add_argument(
            "--expires",
            metavar="YYYY-MM-DD",
            help="The day the new token stops working (at the start of it, studio time).",
        )
        when.add_argument("--days", type=int, help="The new token stops working after N days.")
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--list", action="store_true", help="List the person's tokens.")
        action.add_argument(
            "--revoke",
            action="store_true",
            help="Revoke the person's tokens: all of them, or those picked with --name or --id.",
        )
        parser.add_argument("--id", type=int, help="With --revoke: revoke only this token.")

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"]
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is nobody called “{username}”. Nothing was done.")
        making = not (options["list"] or options["revoke"])
        if not making and (options["expires"] or options["days"] is not None):
            raise CommandError("--expires and --days are for making a token. Nothing was done.")
        if options["list"] and options["name"] is not None:
            raise CommandError("--list shows every token; leave out --name. Nothing was done.")
        if not options["revoke"] and options["id"] is not None:
            raise CommandError("--id picks a token to revoke: add --revoke. Nothing was done.")
        if options["list"]:
            self.list_tokens(user)
        elif options["revoke"]:
            self.revoke(user, name=options["name"], token_id=options["id"])
        else:
            self.make(user, name=options["name"], expires=options["expires"], days=options["days"])

    def make(self, user: Any, *, name: str | None, expires: str | None, days: int | None) -> None:
        expires_at = None
        if expires is not None:
            expires_at = api_token_expiry(_day(expires))
        elif days is not None:
            if not 1 <= days <= MAX_DAYS:
                raise CommandError(f"--days must be 1 to {MAX_DAYS}. No token was made.")
            expires_at = timezone.now() + dt.timedelta(days=days)
        try:
            _, secret = api_token_issue(
                user=user, name=UNNAMED_TOKEN if name is None else name, expires_at=expires_at
            )
        except ValidationError as exc:
            raise CommandError(f"{explain(exc)} No token was made.") from None
        if role_of(user) is None:
            self.stderr.write(
                f"Note: {user.username} has no role, so the API will refuse their requests "
                "until they are given one."
            )
        self.stdout.write(secret)

    def list_tokens(self, user: Any) -> None:
        tokens = list(api_tokens_of(user=user))
        if not tokens:
            self.stdout.write(f"{user.username} has no API tokens.")
            return
        # Times in the studio's time zone, as on its pages.
        now = timezone.now()
        zone = zoneinfo.ZoneInfo(studio_preferences().time_zone)
        rows = [("ID", "NAME", "STARTS WITH", "CREATED", "LAST USED", "EXPIRES", "STATE")]
        rows += [
            (
                str(t.pk),
                t.name or "(no name)",
                t.key_prefix or "(unknown)",
                _when(t.created_at, zone),
                _when(t.last_used_at, zone),
                _when(t.expires_at, zone),
                t.state(now).label.lower(),
            )
            for t in tokens
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            self.stdout.write(
                "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
            )

    def revoke(self, user: Any, *, name: str | None, token_id: int | None) -> None:
        if token_id is not None:
            token = ApiToken.objects.filter(user=user, pk=token_id).first()
            if token is None:
                raise CommandError(
                    f"{user.username} has no token with id {token_id} (see --list). "
                    "Nothing was revoked."
                )
            if token.revoked_at is not None:
                self.stdout.write(f"Token {token_id} of {user.username} was already revoked.")
                return
            api_token_revoke(token=token, by=None)
            self.stdout.write(f"Revoked token {token_id} (“{token.name}”) of {user.username}.")
            return
        count = api_tokens_revoke_all(user=user, by=None, name=name)
        which = f" named “{name}”" if name is not None else ""
        noun = "token" if count == 1 else "tokens"
        self.stdout.write(f"Revoked {count} {noun}{which} of {user.username}.")
