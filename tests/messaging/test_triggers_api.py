"""/api/v1/triggers: list (filtered, sorted, paged), create, read, version-checked change,
delete refused once fired; who may do what; bad input as 422 beside its field."""

from __future__ import annotations

import datetime as dt

import pytest

from darkroom.api.api import api as darkroom_api
from darkroom.messaging.models import Firing, FiringState, Trigger
from darkroom.messaging.trigger_services import trigger_create
from tests import factories as f
from tests.messaging.trigger_world import email_on_ready, make_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ordinary_day")]


@pytest.fixture
def world():
    return make_world()


def body(world, **extra):
    values = email_on_ready(world, **extra)
    return {
        name: value.pk if hasattr(value, "pk") else value
        for name, value in values.items()
        if value is not None
    }


def test_a_manager_creates_reads_and_lists_a_trigger(world, api):
    manager = api("manager")
    made = manager.post("triggers", body(world))
    assert made.status_code == 201, made.json()
    answer = made.json()
    assert answer["cycle"] == {"id": world.albums.pk, "name": "Album Order"}
    assert answer["status"] == {"id": world.ready.pk, "name": "Ready"}
    assert answer["template"]["name"] == "Album ready (email)"
    assert (answer["timing"], answer["fired"], answer["version"]) == ("On entering", 0, 1)
    assert answer["is_active"] and answer["processing"] == "review"
    read = api("readonly").get(f"triggers/{answer['id']}")
    assert read.status_code == 200 and read.json() == answer
    listed = api("staff").get("triggers", cycle=world.albums.pk, active="true")
    assert listed.status_code == 200
    page = listed.json()
    assert [t["id"] for t in page["results"]] == [answer["id"]]
    assert page["next_cursor"] is None
    assert api("staff").get("triggers", cycle=world.sessions.pk).json()["results"] == []
    assert api("staff").get("triggers", active="false").json()["results"] == []


def test_the_list_is_paged_and_sorted(world, api, people):
    for name in ("B", "C", "A"):
        trigger_create(by=people["manager"], **email_on_ready(world, name=name))
    first = api("readonly").get("triggers", sort="name", limit=2).json()
    assert [t["name"] for t in first["results"]] == ["A", "B"]
    rest = api("readonly").get("triggers", sort="name", cursor=first["next_cursor"]).json()
    assert ([t["name"] for t in rest["results"]], rest["next_cursor"]) == (["C"], None)
    backwards = api("readonly").get("triggers", sort="-name", limit=2).json()
    assert [t["name"] for t in backwards["results"]] == ["C", "B"]
    refused = api("readonly").get("triggers", sort="colour")
    assert refused.status_code == 422 and "sort" in refused.json()["fields"]


def test_bad_input_is_refused_beside_its_field(world, api):
    manager = api("manager")
    refused = manager.post("triggers", body(world, status=world.shot, days=-3))
    assert refused.status_code == 422
    assert set(refused.json()["fields"]) == {"days"}
    refused = manager.post("triggers", body(world, status=world.shot, action="sms"))
    assert refused.status_code == 422
    fields = refused.json()["fields"]
    assert fields["status"] == [
        "“Shot” is a status of another cycle; choose one of Album Order's statuses."
    ]
    assert "an SMS template" in fields["template"][0]
    refused = manager.post("triggers", {**body(world), "template": 999999, "cycle": 0})
    assert refused.status_code == 422 and set(refused.json()["fields"]) == {"cycle"}
    refused = manager.post("triggers", {**body(world), "template": 999999})
    assert refused.json()["fields"] == {"template": ["There is no message template 999999."]}
    refused = manager.post("triggers", {**body(world), "colour": "red"})
    assert refused.status_code == 422 and "colour" in refused.json()["fields"]
    assert not Trigger.objects.exists()


def test_a_change_needs_the_version_read(world, api, people):
    trigger = trigger_create(by=people["manager"], **email_on_ready(world))
    manager = api("manager")
    missing = manager.patch(f"triggers/{trigger.pk}", {"name": "X"})
    assert missing.status_code == 422 and "expected_version" in missing.json()["fields"]
    changed = manager.patch(
        f"triggers/{trigger.pk}", {"expected_version": 1, "name": "Ready email", "days": 0}
    )
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["name"], changed.json()["version"]) == ("Ready email", 2)
    stale = manager.patch(f"triggers/{trigger.pk}", {"expected_version": 1, "name": "Other"})
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    null = manager.patch(f"triggers/{trigger.pk}", {"expected_version": 2, "name": None})
    assert null.status_code == 422 and "name" in null.json()["fields"]
    bad = manager.patch(f"triggers/{trigger.pk}", {"expected_version": 2, "action": "sms"})
    assert bad.status_code == 422 and "template" in bad.json()["fields"]
    assert Trigger.objects.get(pk=trigger.pk).name == "Ready email"


def test_stopping_through_the_api_cancels_scheduled_firings(world, api, people):
    trigger = trigger_create(
        by=people["manager"],
        **email_on_ready(world, status=world.at_lab, when="after_due", days=2),
    )
    f.started_production_order(
        order_type=world.order_type,
        started_on=dt.date(2026, 12, 2),
        by=people["staff"],
        status=world.at_lab,
    )
    stopped = api("manager").patch(
        f"triggers/{trigger.pk}", {"expected_version": 1, "is_active": False}
    )
    assert stopped.status_code == 200
    assert (stopped.json()["is_active"], stopped.json()["fired"]) == (False, 1)
    assert Firing.objects.get(trigger=trigger).state == FiringState.CANCELLED
    deleted = api("manager").delete(f"triggers/{trigger.pk}")
    assert deleted.status_code == 409
    assert deleted.json() == {
        "detail": "“Album ready email” can't be deleted. It has fired once: make it inactive "
        "instead.",
        "code": "in_use",
    }


def test_a_trigger_that_never_fired_is_deleted(world, api, people):
    trigger = trigger_create(by=people["manager"], **email_on_ready(world))
    assert api("manager").delete(f"triggers/{trigger.pk}").status_code == 204
    assert api("manager").get(f"triggers/{trigger.pk}").status_code == 404


@pytest.mark.parametrize("role", ["readonly", "staff"])
def test_only_managers_write(world, api, people, role):
    trigger = trigger_create(by=people["manager"], **email_on_ready(world))
    caller = api(role)
    for response in (
        caller.post("triggers", body(world)),
        caller.patch(f"triggers/{trigger.pk}", {"expected_version": 1, "name": "X"}),
        caller.delete(f"triggers/{trigger.pk}"),
    ):
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
    assert caller.get(f"triggers/{trigger.pk}").status_code == 200
    assert Trigger.objects.get(pk=trigger.pk).name == "Album ready email"
    assert api(None).get("triggers").status_code == 401


def test_openapi_documents_every_operation():
    paths = darkroom_api.get_openapi_schema()["paths"]
    operations = {**paths["/api/v1/triggers"], **paths["/api/v1/triggers/{id}"]}
    assert set(operations) == {"get", "post", "patch", "delete"}
    for operation in operations.values():
        assert operation["summary"] and operation["operationId"].startswith("triggers_")
        assert {"401", "403", "422"} <= {str(s) for s in operation["responses"]}
    assert "409" in {str(s) for s in operations["delete"]["responses"]}
