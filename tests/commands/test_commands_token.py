"""``darkroom token``: a token alone on stdout that authenticates as its person; a name and an
expiry; the person's list; revoking all of them, those with a name, or one by id."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from darkroom.studio.models import ApiToken
from darkroom.studio.services import api_token_issue, api_token_user, studio_preferences_update

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.UTC)


def token(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_token_prints_only_a_token_that_authenticates(people):
    printed, notes = token("staff", "--name", "accounting export")

    assert printed.count("\n") == 1 and printed.endswith("\n")
    key = printed.strip()
    assert key.startswith("drk_") and " " not in key
    assert notes == ""
    assert api_token_user(key) == people["staff"]
    stored = ApiToken.objects.get()
    assert stored.name == "accounting export"
    assert stored.key_prefix == key[:12]
    assert stored.expires_at is None
    assert key not in stored.key_hash  # only the hash is kept


def test_label_still_names_the_token_and_a_token_has_a_name_by_default(people):
    token("staff", "--label", "old scripts")
    token("staff")
    assert sorted(ApiToken.objects.values_list("name", flat=True)) == [
        "Made on the command line",
        "old scripts",
    ]


def test_each_token_is_new(people):
    first, _ = token("manager")
    second, _ = token("manager")
    assert first != second
    assert api_token_user(first.strip()) == api_token_user(second.strip()) == people["manager"]


def test_token_for_nobody_is_refused(people):
    with pytest.raises(CommandError, match="nobody called “alice”"):
        token("alice")
    assert not ApiToken.objects.exists()


def test_token_for_an_inactive_person_is_refused(people):
    get_user_model().objects.filter(username="readonly").update(is_active=False)
    with pytest.raises(CommandError) as refusal:
        token("readonly")
    assert str(refusal.value) == (
        "readonly is inactive, so a token would not work. No token was made."
    )
    assert not ApiToken.objects.exists()


def test_token_for_someone_without_a_role_warns(db):
    get_user_model().objects.create_user(username="integrator", password="x" * 12)
    printed, notes = token("integrator")
    assert printed.strip().startswith("drk_")
    assert "has no role" in notes


@time_machine.travel(NOON, tick=False)
def test_expires_on_a_day_means_the_start_of_that_day_in_the_studio(people):
    studio_preferences_update(time_zone="America/New_York")
    printed, _ = token("staff", "--name", "Lab sync", "--expires", "2027-01-01")
    stored = ApiToken.objects.get()
    new_york = zoneinfo.ZoneInfo("America/New_York")
    assert stored.expires_at == dt.datetime(2027, 1, 1, tzinfo=new_york)
    assert stored.name == "Lab sync"
    key = printed.strip()
    with time_machine.travel(dt.datetime(2026, 12, 31, 23, 59, tzinfo=new_york), tick=False):
        assert api_token_user(key) == people["staff"]
    with time_machine.travel(dt.datetime(2027, 1, 1, 0, 0, tzinfo=new_york), tick=False):
        assert api_token_user(key) is None


@time_machine.travel(NOON, tick=False)
def test_days_counts_from_now(people):
    printed, _ = token("staff", "--days", "90")
    stored = ApiToken.objects.get()
    assert stored.expires_at == NOON + dt.timedelta(days=90)
    with time_machine.travel(NOON + dt.timedelta(days=90, seconds=-1), tick=False):
        assert api_token_user(printed.strip()) == people["staff"]
    with time_machine.travel(NOON + dt.timedelta(days=90), tick=False):
        assert api_token_user(printed.strip()) is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--expires", "1 Jan 2027"), "“1 Jan 2027” is not a date: write it as 2027-01-01."),
        (
            ("--expires", "2026-12-05"),
            "Expires at: The expiry must be in the future. No token was made.",
        ),
        (("--days", "0"), "--days must be 1 to 3650. No token was made."),
        (("--days", "3651"), "--days must be 1 to 3650. No token was made."),
        (
            ("--name", "   "),
            "Name: Give the token a name that says what it is for. No token was made.",
        ),
        (
            ("--name", "x" * 81),
            "Name: A token's name has at most 80 characters. No token was made.",
        ),
        (
            ("--list", "--days", "3"),
            "--expires and --days are for making a token. Nothing was done.",
        ),
        (("--id", "3"), "--id picks a token to revoke: add --revoke. Nothing was done."),
        (
            ("--list", "--name", "Lab"),
            "--list shows every token; leave out --name. Nothing was done.",
        ),
    ],
)
@time_machine.travel(NOON, tick=False)
def test_bad_options_are_refused_and_make_nothing(people, args, message):
    with pytest.raises(CommandError) as refusal:
        token("staff", *args)
    assert str(refusal.value) == message
    assert not ApiToken.objects.exists()


@time_machine.travel(NOON, tick=False)
def test_list_shows_the_persons_tokens_and_their_state(people):
    studio_preferences_update(time_zone="Europe/Paris")
    lab, _ = api_token_issue(user=people["staff"], name="Lab sync")
    old, _ = api_token_issue(
        user=people["staff"], name="Old export", expires_at=NOON + dt.timedelta(hours=1)
    )
    api_token_issue(user=people["manager"], name="Not theirs")
    token("staff", "--revoke", "--id", str(lab.pk))
    with time_machine.travel(NOON + dt.timedelta(hours=2), tick=False):
        printed, _ = token("staff", "--list")
    lines = printed.splitlines()
    assert lines[0].split() == [
        "ID", "NAME", "STARTS", "WITH", "CREATED", "LAST", "USED", "EXPIRES", "STATE"
    ]  # fmt: skip
    assert len(lines) == 3
    assert lines[1].split() == [
        str(old.pk), "Old", "export", old.key_prefix, "2026-12-05", "13:00", "-",
        "2026-12-05", "14:00", "expired",
    ]  # fmt: skip
    assert lines[2].split() == [
        str(lab.pk), "Lab", "sync", lab.key_prefix, "2026-12-05", "13:00", "-", "-", "revoked"
    ]  # fmt: skip


def test_list_of_someone_without_tokens(people):
    assert token("readonly", "--list") == ("readonly has no API tokens.\n", "")


def test_revoke_alone_revokes_every_token_of_that_person(people):
    first, _ = token("staff", "--name", "Lab sync")
    second, _ = token("staff", "--name", "Export")
    other, _ = token("manager")

    assert token("staff", "--revoke") == ("Revoked 2 tokens of staff.\n", "")

    assert api_token_user(first.strip()) is None
    assert api_token_user(second.strip()) is None
    assert api_token_user(other.strip()) == people["manager"]
    revoked = ApiToken.objects.filter(user=people["staff"])
    assert all(t.revoked_at is not None and t.revoked_by is None for t in revoked)
    assert token("staff", "--revoke") == ("Revoked 0 tokens of staff.\n", "")


def test_revoke_by_name_or_by_id(people):
    lab, _ = token("staff", "--name", "Lab sync")
    export, _ = token("staff", "--name", "Export")
    spare, _ = token("staff", "--name", "Spare")

    assert token("staff", "--revoke", "--name", "Lab sync") == (
        "Revoked 1 token named “Lab sync” of staff.\n",
        "",
    )
    assert api_token_user(lab.strip()) is None
    assert api_token_user(export.strip()) == people["staff"]

    export_id = ApiToken.objects.get(name="Export").pk
    assert token("staff", "--revoke", "--id", str(export_id)) == (
        f"Revoked token {export_id} (“Export”) of staff.\n",
        "",
    )
    assert api_token_user(export.strip()) is None
    assert api_token_user(spare.strip()) == people["staff"]
    assert token("staff", "--revoke", "--id", str(export_id)) == (
        f"Token {export_id} of staff was already revoked.\n",
        "",
    )


def test_revoke_of_someone_elses_token_id_is_refused(people):
    token("manager", "--name", "Mine")
    mine = ApiToken.objects.get()
    with pytest.raises(CommandError, match=f"staff has no token with id {mine.pk}"):
        token("staff", "--revoke", "--id", str(mine.pk))
    mine.refresh_from_db()
    assert mine.revoked_at is None
