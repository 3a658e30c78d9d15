"""The upgrade that brought named, expiring, revocable tokens: tokens made before keep working,
and those of people inactive at the time are revoked, so reactivating them revives nothing."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from darkroom.studio.models import ApiToken
from darkroom.studio.services import api_token_user

BEFORE = [("studio", "0003_statuses_by_session_type")]
AFTER = [("studio", "0004_api_token_expiry_revocation")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest() -> None:
    """Every app back at its latest migration: going back to BEFORE also undid the later
    migrations of studio and of the apps that depend on it, and the tests after this one in
    the same process share its database."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_old_tokens_keep_working_and_inactive_peoples_are_revoked():
    old = migrate(BEFORE)
    try:
        User = old.get_model("auth", "User")
        OldToken = old.get_model("studio", "ApiToken")
        active = User.objects.create(username="active-integrator", is_active=True)
        gone = User.objects.create(username="gone", is_active=False)
        keys = {"active": "drk_made-before-the-upgrade", "gone": "drk_of-someone-inactive"}
        for person, key in ((active, keys["active"]), (gone, keys["gone"])):
            OldToken.objects.create(
                user=person, key_hash=hashlib.sha256(key.encode()).hexdigest(), label="Lab"
            )
    finally:
        migrate(AFTER)
        migrate_to_latest()
    kept = ApiToken.objects.get(user_id=active.pk)
    assert (kept.name, kept.key_prefix, kept.expires_at, kept.revoked_at) == ("Lab", "", None, None)
    assert api_token_user(keys["active"]).pk == active.pk
    revoked = ApiToken.objects.get(user_id=gone.pk)
    assert revoked.revoked_at is not None and revoked.revoked_by is None
    type(gone).objects.filter(pk=gone.pk).update(is_active=True)
    assert api_token_user(keys["gone"]) is None
