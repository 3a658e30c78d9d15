"""Only managers change maintenance lists: every write is refused server-side for other roles
(403, nothing changed), and anonymous people are sent to log in."""

from __future__ import annotations

import pytest

from tests.maintenance.conftest import ENTRIES, ORDERED, SAMPLES, ids, list_url, snapshot

pytestmark = pytest.mark.django_db

ROLES_THAT_ONLY_LOOK = ["staff", "readonly"]


def _writes(entry, record, people):
    """Every POST a maintenance list accepts, with a body that would otherwise succeed."""
    url = list_url(entry)
    sample = SAMPLES[entry.slug]
    name, value = sample.change
    writes = [
        (f"{url}new/", sample.create(people)),
        (f"{url}{record.pk}/", {name: value}),
        (f"{url}{record.pk}/delete/", {}),
    ]
    if entry.retirable:
        writes.append((f"{url}{record.pk}/inactive/", {}))
    if entry.ordered:
        writes.append((f"{url}{record.pk}/move/", {"direction": "down"}))
    return writes


@pytest.mark.parametrize("role", ROLES_THAT_ONLY_LOOK)
@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_writes_are_refused_for_roles_that_only_look(web, people, entry, role):
    record = SAMPLES[entry.slug].make("Alpha")
    SAMPLES[entry.slug].make("Bravo")
    client = web(role)
    writes = _writes(entry, record, people)
    before = snapshot(entry)
    for url, body in writes:
        response = client.post(url, body)
        assert response.status_code == 403, url
        assert b"does not allow this" in response.content
    assert snapshot(entry) == before
    assert client.get(f"{list_url(entry)}new/").status_code == 403


@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_anonymous_writes_are_sent_to_log_in(client, people, entry):
    record = SAMPLES[entry.slug].make("Alpha")
    before = snapshot(entry)
    for url, body in _writes(entry, record, people):
        response = client.post(url, body)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/?next=")
    assert client.get(list_url(entry)).status_code == 302
    assert snapshot(entry) == before


@pytest.mark.parametrize("entry", ORDERED, ids=ids)
def test_move_needs_a_post(web, entry):
    record = SAMPLES[entry.slug].make("Alpha")
    assert web("manager").get(f"{list_url(entry)}{record.pk}/move/").status_code == 405


def test_missing_record_is_404(web):
    client = web("manager")
    assert client.get("/maintenance/vendors/999999/").status_code == 404
    assert client.post("/maintenance/vendors/999999/delete/").status_code == 404
