"""Every maintenance list through /api/v1/<slug>: list, get, create, replace, update, delete, move.

Parametrised over the whole registry, so a list added there is covered by these tests as soon as
it has a sample in tests/maintenance/samples.py.
"""

from __future__ import annotations

import pytest

from darkroom.maintenance.registry import maintenance_lists
from tests.maintenance.samples import ENTRIES, IN_USE, ORDERED, SAMPLES, ids, snapshot

pytestmark = pytest.mark.django_db

by_slug = {e.slug: e for e in ENTRIES}


def stored(entry, pk, name):
    """A field as the database holds it, in the API's shape (ids, strings for decimals)."""
    record = entry.model._default_manager.get(pk=pk)
    field = entry.model._meta.get_field(name)
    if field.many_to_many:
        return sorted(getattr(record, name).values_list("pk", flat=True))
    value = getattr(record, field.attname)
    return str(value) if field.get_internal_type() == "DecimalField" else value


def test_every_list_has_a_sample():
    assert set(SAMPLES) == {e.slug for e in maintenance_lists()}


@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_list_answers_results_and_next_cursor(api, entry):
    made = [SAMPLES[entry.slug].make() for _ in range(3)]
    response = api("manager").get(entry.slug)
    assert response.status_code == 200, response.content
    body = response.json()
    assert {item["id"] for item in body["results"]} == {r.pk for r in made}
    assert body["next_cursor"] is None
    item = body["results"][0]
    assert set(item) >= {"id", *entry.fields}


@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_get_answers_the_record(api, entry):
    record = SAMPLES[entry.slug].make()
    response = api("readonly").get(f"{entry.slug}/{record.pk}")
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["id"] == record.pk
    for name in entry.fields:
        assert answer[name] == stored(entry, record.pk, name), name
    if entry.ordered:
        assert answer["position"] == record.position


@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_create_saves_and_answers_201(api, people, entry):
    body = SAMPLES[entry.slug].body(people)
    response = api("manager").post(entry.slug, body)
    assert response.status_code == 201, response.content
    answer = response.json()
    for name, value in body.items():
        assert answer[name] == value, name
        assert stored(entry, answer["id"], name) == value, name
    if entry.ordered:
        assert answer["position"] == entry.model._default_manager.count()


@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_put_replaces_the_whole_record(api, people, entry):
    record = SAMPLES[entry.slug].make()
    body = SAMPLES[entry.slug].body(people)
    response = api("manager").put(f"{entry.slug}/{record.pk}", body)
    assert response.status_code == 200, response.content
    for name, value in body.items():
        assert response.json()[name] == value, name
        assert stored(entry, record.pk, name) == value, name
    # Fields left out of a PUT take their default.
    for name in set(entry.fields) - set(body):
        field = entry.model._meta.get_field(name)
        if not field.many_to_many and not field.is_relation:
            assert stored(entry, record.pk, name) == field.get_default(), name


@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_patch_changes_only_what_is_sent(api, entry):
    record = SAMPLES[entry.slug].make()
    name, value = SAMPLES[entry.slug].change
    others = {n: stored(entry, record.pk, n) for n in entry.fields if n != name}
    response = api("manager").patch(f"{entry.slug}/{record.pk}", {name: value})
    assert response.status_code == 200, response.content
    assert response.json()[name] == value
    assert stored(entry, record.pk, name) == value
    assert {n: stored(entry, record.pk, n) for n in others} == others


@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_delete_an_unused_record(api, entry):
    record = SAMPLES[entry.slug].make()
    response = api("manager").delete(f"{entry.slug}/{record.pk}")
    assert response.status_code == 204, response.content
    assert response.content == b""
    assert not entry.model._default_manager.filter(pk=record.pk).exists()


@pytest.mark.parametrize("entry", IN_USE, ids=ids)
def test_delete_in_use_is_refused_and_keeps_the_record(api, entry):
    record = SAMPLES[entry.slug].make()
    SAMPLES[entry.slug].use(record)
    before = snapshot(entry)
    response = api("manager").delete(f"{entry.slug}/{record.pk}")
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["code"] == "in_use"
    assert "can't be deleted" in body["detail"]
    if entry.retirable:
        assert "inactive" in body["detail"]
    assert snapshot(entry) == before


@pytest.mark.parametrize("entry", [e for e in IN_USE if e.retirable], ids=ids)
def test_a_record_in_use_can_be_made_inactive_instead(api, entry):
    record = SAMPLES[entry.slug].make()
    SAMPLES[entry.slug].use(record)
    response = api("manager").patch(f"{entry.slug}/{record.pk}", {"is_inactive": True})
    assert response.status_code == 200, response.content
    assert stored(entry, record.pk, "is_inactive") is True


@pytest.mark.parametrize("entry", ORDERED, ids=ids)
def test_move_up_and_down(api, entry):
    first, second, third = (SAMPLES[entry.slug].make() for _ in range(3))
    caller = api("manager")

    def order():
        return list(
            entry.model._default_manager.order_by("position", "id").values_list("pk", flat=True)
        )

    response = caller.post(f"{entry.slug}/{third.pk}/move", {"direction": "up"})
    assert response.status_code == 200, response.content
    assert response.json()["position"] == 2
    assert order() == [first.pk, third.pk, second.pk]
    assert [i["id"] for i in caller.get(entry.slug).json()["results"]] == order()

    caller.post(f"{entry.slug}/{first.pk}/move", {"direction": "down"})
    assert order() == [third.pk, first.pk, second.pk]

    # At the top already: nothing moves.
    response = caller.post(f"{entry.slug}/{third.pk}/move", {"direction": "up"})
    assert response.status_code == 200
    assert response.json()["position"] == 1
    assert order() == [third.pk, first.pk, second.pk]


@pytest.mark.parametrize("entry", ORDERED, ids=ids)
def test_move_refuses_a_bad_direction(api, entry):
    record = SAMPLES[entry.slug].make()
    before = snapshot(entry)
    response = api("manager").post(f"{entry.slug}/{record.pk}/move", {"direction": "sideways"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert snapshot(entry) == before


@pytest.mark.parametrize("entry", [e for e in ENTRIES if not e.ordered], ids=ids)
def test_lists_in_their_own_order_have_no_move(api, entry):
    record = SAMPLES[entry.slug].make()
    before = snapshot(entry)
    response = api("manager").post(f"{entry.slug}/{record.pk}/move", {"direction": "up"})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert "order" in response.json()["detail"]
    assert snapshot(entry) == before


def test_department_members_are_user_ids(api, people):
    department = SAMPLES["departments"].make()
    caller = api("manager")
    response = caller.patch(f"departments/{department.pk}", {"members": [people["staff"].pk]})
    assert response.status_code == 200, response.content
    assert response.json()["members"] == [people["staff"].pk]
    assert list(department.members.values_list("pk", flat=True)) == [people["staff"].pk]
    response = caller.patch(f"departments/{department.pk}", {"members": []})
    assert response.json()["members"] == []
    assert not department.members.exists()
