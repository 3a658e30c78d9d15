"""The links' writes and reads: derived addresses, one working link per invoice, revoking,
expiry, and the address a message carries before and after it is sent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from darkroom.clients.models import StatusLink
from darkroom.clients.status_links import (
    status_link_ensure,
    status_link_issue,
    status_link_key,
    status_link_key_of,
    status_link_of_key,
    status_link_revoke,
    status_link_words,
)
from darkroom.studio.services import secret_hash
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_link_keeps_only_the_hash_of_its_address(people):
    invoice = f.InvoiceFactory()
    link, key = status_link_issue(invoice=invoice, by=people["staff"])
    assert key.startswith("drst_") and len(key) == 5 + 43
    assert link.key_hash == secret_hash(key) and link.key_prefix == key[:12]
    stored = StatusLink.objects.filter(pk=link.pk).values()[0]
    assert key not in {str(v) for v in stored.values()}
    assert status_link_key_of(link) == key  # derived again, not read
    assert status_link_of_key(key, now=timezone.now()) == link


def test_addresses_differ_by_invoice_and_generation_and_by_secret_key(settings):
    first = status_link_key(invoice_id=1, generation=1)
    assert first == status_link_key(invoice_id=1, generation=1)
    assert (
        len(
            {
                first,
                status_link_key(invoice_id=1, generation=2),
                status_link_key(invoice_id=2, generation=1),
            }
        )
        == 3
    )
    settings.SECRET_KEY = "another key " * 5
    assert status_link_key(invoice_id=1, generation=1) != first


def test_a_new_link_revokes_the_one_before(people):
    invoice = f.InvoiceFactory()
    old, old_key = status_link_issue(invoice=invoice, by=people["staff"])
    new, new_key = status_link_issue(invoice=invoice, by=people["manager"])
    old.refresh_from_db()
    assert old.revoked_at is not None and old.revoked_by == people["manager"]
    assert new.generation == old.generation + 1 and new_key != old_key
    now = timezone.now()
    assert status_link_of_key(old_key, now=now) is None
    assert status_link_of_key(new_key, now=now) == new


def test_the_database_keeps_one_working_link_per_invoice(people):
    invoice = f.InvoiceFactory()
    link, _ = status_link_issue(invoice=invoice, by=people["staff"])
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusLink.objects.create(
            invoice=invoice, generation=link.generation + 1, key_hash="x" * 64, key_prefix="x"
        )


def test_revoking_is_once_and_for_good(people):
    invoice = f.InvoiceFactory()
    link, key = status_link_issue(invoice=invoice, by=people["staff"])
    status_link_revoke(link=link, by=people["manager"])
    first = link.revoked_at
    status_link_revoke(link=link, by=people["staff"])
    assert link.revoked_at == first and link.revoked_by == people["manager"]
    assert status_link_of_key(key, now=timezone.now()) is None


def test_an_expiry_must_be_in_the_future_and_ends_the_link(people):
    invoice = f.InvoiceFactory()
    with pytest.raises(ValidationError) as refused:
        status_link_issue(
            invoice=invoice, by=people["staff"], expires_at=timezone.now() - dt.timedelta(hours=1)
        )
    assert "future" in str(refused.value)
    assert not StatusLink.objects.exists()
    ends = timezone.now() + dt.timedelta(days=2)
    link, key = status_link_issue(invoice=invoice, by=people["staff"], expires_at=ends)
    assert status_link_of_key(key, now=ends - dt.timedelta(seconds=1)) == link
    assert status_link_of_key(key, now=ends) is None


def test_a_message_shows_the_next_address_and_sending_makes_exactly_that_link():
    invoice = f.InvoiceFactory()
    shown = status_link_words(invoice)
    assert shown.startswith("http://localhost:8000/status/drst_")
    assert not StatusLink.objects.exists()  # reading made nothing
    assert status_link_words(invoice) == shown
    assert status_link_ensure(invoice=invoice) == shown
    link = StatusLink.objects.get()
    assert link.created_by is None and link.generation == 1
    # Sent again: the same working link, not another.
    assert status_link_ensure(invoice=invoice) == shown
    assert StatusLink.objects.count() == 1


def test_a_message_after_a_revoke_or_an_expiry_gets_a_new_address(people):
    invoice = f.InvoiceFactory()
    first = status_link_ensure(invoice=invoice)
    status_link_revoke(link=StatusLink.objects.get(), by=people["staff"])
    second = status_link_words(invoice)
    assert second != first
    assert status_link_ensure(invoice=invoice) == second
    StatusLink.objects.filter(revoked_at__isnull=True).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    third = status_link_words(invoice)
    assert third not in (first, second)
    assert status_link_ensure(invoice=invoice) == third
    assert StatusLink.objects.filter(revoked_at__isnull=True).count() == 1


def test_after_the_secret_key_changes_a_message_makes_a_fresh_link(settings, people):
    invoice = f.InvoiceFactory()
    link, key = status_link_issue(invoice=invoice, by=people["staff"])
    settings.SECRET_KEY = "a new secret key " * 4
    assert status_link_of_key(key, now=timezone.now()) == link  # the old address still opens
    assert status_link_key_of(link) is None  # but can't be said again
    fresh = status_link_ensure(invoice=invoice)
    assert key not in fresh
    assert status_link_of_key(fresh.rsplit("/", 2)[1], now=timezone.now()).generation == 2


def test_the_public_address_comes_from_the_settings(settings):
    settings.DARKROOM_PUBLIC_URL = "https://photos.example.com"
    assert status_link_words(f.InvoiceFactory()).startswith("https://photos.example.com/status/")
