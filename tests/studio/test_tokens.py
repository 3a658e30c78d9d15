"""API tokens as services: made with a name and an expiry, known only by hash and prefix,
expired or revoked at once, revoked for good when their person is deactivated, noted when used."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from darkroom.studio.models import ApiToken, TokenState
from darkroom.studio.people import person_update
from darkroom.studio.selectors import api_token_lists, api_tokens_of, may_manage_tokens
from darkroom.studio.services import (
    api_token_issue,
    api_token_revoke,
    api_token_user,
    api_tokens_revoke_all,
)

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.UTC)


def reactivate(person, manager, *, active: bool) -> None:
    person_update(
        user=person,
        changed_by=manager,
        first_name=person.first_name,
        last_name=person.last_name,
        email=person.email,
        role="staff",
        departments=[],
        is_active=active,
    )


@time_machine.travel(NOON, tick=False)
def test_a_new_token_keeps_its_name_prefix_and_expiry_but_not_its_secret(people):
    token, secret = api_token_issue(
        user=people["staff"], name="  Lab sync ", expires_at=NOON + dt.timedelta(days=30)
    )
    stored = ApiToken.objects.get()
    assert stored == token
    assert (stored.name, stored.key_prefix) == ("Lab sync", secret[:12])
    assert stored.expires_at == NOON + dt.timedelta(days=30)
    assert stored.created_at == NOON
    assert (stored.last_used_at, stored.revoked_at, stored.revoked_by) == (None, None, None)
    assert secret not in stored.key_hash and secret[12:] not in str(stored.__dict__)
    assert stored.state() == TokenState.ACTIVE


@pytest.mark.parametrize(
    ("name", "expires_at", "problems"),
    [
        ("", None, {"name": ["Give the token a name that says what it is for."]}),
        ("x" * 81, None, {"name": ["A token's name has at most 80 characters."]}),
        ("Lab", NOON, {"expires_at": ["The expiry must be in the future."]}),
    ],
)
@time_machine.travel(NOON, tick=False)
def test_a_token_without_a_name_or_expiring_already_is_refused(people, name, expires_at, problems):
    with pytest.raises(ValidationError) as refusal:
        api_token_issue(user=people["staff"], name=name, expires_at=expires_at)
    assert refusal.value.message_dict == problems
    assert not ApiToken.objects.exists()


def test_an_expired_token_stops_working_at_its_expiry(people):
    with time_machine.travel(NOON, tick=False):
        _, secret = api_token_issue(
            user=people["staff"], name="Lab", expires_at=NOON + dt.timedelta(hours=1)
        )
    with time_machine.travel(NOON + dt.timedelta(minutes=59), tick=False):
        assert api_token_user(secret) == people["staff"]
    with time_machine.travel(NOON + dt.timedelta(hours=1), tick=False):
        assert api_token_user(secret) is None
        assert ApiToken.objects.get().state() == TokenState.EXPIRED


def test_a_revoked_token_stops_at_once_and_keeps_its_row(people):
    token, secret = api_token_issue(user=people["staff"], name="Lab")
    assert api_token_user(secret) == people["staff"]
    with time_machine.travel(NOON, tick=False):
        api_token_revoke(token=token, by=people["manager"])
    assert api_token_user(secret) is None
    stored = ApiToken.objects.get()
    assert (stored.revoked_at, stored.revoked_by) == (NOON, people["manager"])
    # Revoking again keeps the first revocation on record.
    api_token_revoke(token=stored, by=people["staff"])
    stored.refresh_from_db()
    assert (stored.revoked_at, stored.revoked_by) == (NOON, people["manager"])


def test_deactivating_a_person_revokes_their_tokens_and_reactivating_does_not_revive_them(people):
    staff, manager = people["staff"], people["manager"]
    _, first = api_token_issue(user=staff, name="Lab")
    _, second = api_token_issue(user=staff, name="Export")
    _, managers = api_token_issue(user=manager, name="Mine")

    reactivate(staff, manager, active=False)
    assert api_token_user(first) is None and api_token_user(second) is None
    assert set(ApiToken.objects.filter(user=staff).values_list("revoked_by", flat=True)) == {
        manager.pk
    }

    reactivate(staff, manager, active=True)
    staff.refresh_from_db()
    assert staff.is_active
    assert api_token_user(first) is None and api_token_user(second) is None
    assert api_token_user(managers) == manager
    _, fresh = api_token_issue(user=staff, name="After coming back")
    assert api_token_user(fresh) == staff


def test_saving_an_active_person_revokes_nothing(people):
    _, secret = api_token_issue(user=people["staff"], name="Lab")
    reactivate(people["staff"], people["manager"], active=True)
    assert api_token_user(secret) == people["staff"]


def test_revoke_all_can_keep_to_one_name(people):
    _, lab = api_token_issue(user=people["staff"], name="Lab")
    _, export = api_token_issue(user=people["staff"], name="Export")
    assert api_tokens_revoke_all(user=people["staff"], by=None, name="Lab") == 1
    assert api_token_user(lab) is None
    assert api_token_user(export) == people["staff"]


def test_last_used_is_noted_at_most_once_a_minute(people):
    with time_machine.travel(NOON, tick=False):
        _, secret = api_token_issue(user=people["staff"], name="Lab")
        assert ApiToken.objects.get().last_used_at is None
        api_token_user(secret)
    assert ApiToken.objects.get().last_used_at == NOON
    with time_machine.travel(NOON + dt.timedelta(seconds=60), tick=False):
        api_token_user(secret)
    assert ApiToken.objects.get().last_used_at == NOON
    with time_machine.travel(NOON + dt.timedelta(seconds=61), tick=False):
        api_token_user(secret)
    assert ApiToken.objects.get().last_used_at == NOON + dt.timedelta(seconds=61)


def test_a_string_that_is_no_token_opens_nothing(people):
    api_token_issue(user=people["staff"], name="Lab")
    assert api_token_user("drk_not-a-token") is None
    assert api_token_user("") is None


def test_lists_by_state_newest_first(people):
    staff = people["staff"]
    with time_machine.travel(NOON, tick=False):
        old, _ = api_token_issue(user=staff, name="Old", expires_at=NOON + dt.timedelta(hours=1))
    with time_machine.travel(NOON + dt.timedelta(minutes=1), tick=False):
        cut, _ = api_token_issue(user=staff, name="Cut")
        api_token_revoke(token=cut, by=staff)
    with time_machine.travel(NOON + dt.timedelta(minutes=2), tick=False):
        live, _ = api_token_issue(user=staff, name="Live")
    api_token_issue(user=people["manager"], name="Not theirs")
    with time_machine.travel(NOON + dt.timedelta(hours=2), tick=False):
        assert list(api_tokens_of(user=staff)) == [live, cut, old]
        assert list(api_tokens_of(user=staff, state="active")) == [live]
        assert list(api_tokens_of(user=staff, state="expired")) == [old]
        assert list(api_tokens_of(user=staff, state="revoked")) == [cut]
        lists = api_token_lists(user=staff)
        assert lists == {"active_tokens": [live], "past_tokens": [cut, old]}


def test_who_may_manage_whose_tokens(people, db):
    from django.contrib.auth import get_user_model

    nobody = get_user_model().objects.create_user(username="nobody", password="x" * 12)
    for role in ("readonly", "staff", "manager"):
        assert may_manage_tokens(actor=people[role], owner=people[role])
    assert may_manage_tokens(actor=people["manager"], owner=people["staff"])
    assert not may_manage_tokens(actor=people["staff"], owner=people["readonly"])
    assert not may_manage_tokens(actor=people["readonly"], owner=people["staff"])
    assert not may_manage_tokens(actor=nobody, owner=nobody)
