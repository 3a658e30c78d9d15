"""``darkroom token``: a token alone on stdout that authenticates as its person."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from darkroom.studio.models import ApiToken
from darkroom.studio.services import api_token_user

pytestmark = pytest.mark.django_db


def token(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_token_prints_only_a_token_that_authenticates(people):
    printed, notes = token("staff", "--label", "accounting export")

    assert printed.count("\n") == 1 and printed.endswith("\n")
    key = printed.strip()
    assert key.startswith("drk_") and " " not in key
    assert notes == ""
    assert api_token_user(key) == people["staff"]
    stored = ApiToken.objects.get()
    assert stored.label == "accounting export"
    assert key not in stored.key_hash  # only the hash is kept


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
    with pytest.raises(CommandError, match="inactive"):
        token("readonly")
    assert not ApiToken.objects.exists()


def test_token_for_someone_without_a_role_warns(db):
    get_user_model().objects.create_user(username="integrator", password="x" * 12)
    printed, notes = token("integrator")
    assert printed.strip().startswith("drk_")
    assert "has no role" in notes
