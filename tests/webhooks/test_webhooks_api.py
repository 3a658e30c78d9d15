"""/api/v1/webhooks: a manager makes, reads, changes, rotates, disables, enables and deletes
endpoints, reads deliveries a page at a time with their attempts, and replays them. Bad input
is a 4xx with {"detail", "code"} that changes nothing; other roles are refused."""

from __future__ import annotations

import pytest
from django.utils import timezone
from standardwebhooks import Webhook

from darkroom.events.kinds import event_types
from darkroom.webhooks.models import Delivery, DeliveryState, Endpoint
from darkroom.webhooks.signing import signed_headers
from tests.webhooks.conftest import RECEIVER, ended

pytestmark = pytest.mark.django_db


def rows() -> list[dict]:
    return list(Endpoint.objects.order_by("pk").values())


def test_a_manager_makes_an_endpoint_and_gets_its_secret_once_asked(api, people):
    answer = api("manager").post(
        "webhooks",
        {
            "name": "Lab portal",
            "url": "https://lab.example.com/hooks",
            "event_types": ["task.created"],
        },
    )
    assert answer.status_code == 201, answer.json()
    made = answer.json()
    endpoint = Endpoint.objects.get()
    assert made["secret"] == endpoint.secret and made["secret"].startswith("whsec_")
    assert made["event_types"] == ["task.created"] and made["version"] == 1
    assert made["created_by"] == {"id": people["manager"].pk, "name": "Manager"}
    read = api("manager").get(f"webhooks/{endpoint.pk}").json()
    assert "secret" not in read and read["name"] == "Lab portal"
    assert api("manager").get(f"webhooks/{endpoint.pk}/secret").json()["secret"] == endpoint.secret
    listed = api("manager").get("webhooks").json()
    assert [w["id"] for w in listed["results"]] == [endpoint.pk]
    assert listed["next_cursor"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "", "url": "https://x.example/"}, "name"),
        ({"name": "Lab", "url": "x.example"}, "url"),
        (
            {"name": "Lab", "url": "https://x.example/", "event_types": ["order.shipped"]},
            "event_types",
        ),
        ({"name": "Lab", "url": "https://x.example/", "secret": "whsec_mine"}, None),
    ],
)
def test_bad_input_is_a_422_that_makes_nothing(api, body, field):
    answer = api("manager").post("webhooks", body)
    assert answer.status_code == 422
    assert {"detail", "code"} <= set(answer.json())
    if field:
        assert field in answer.json()["fields"]
    assert rows() == []


def test_a_private_address_is_refused(api, settings):
    settings.DARKROOM_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    answer = api("manager").post("webhooks", {"name": "Lab", "url": "http://10.1.2.3/"})
    assert answer.status_code == 422
    assert "10.1.2.3 is a private" in answer.json()["fields"]["url"][0]
    assert rows() == []


def test_a_change_sends_the_version_read(api, endpoint):
    path = f"webhooks/{endpoint.pk}"
    changed = api("manager").patch(path, {"version": 1, "name": "Tracker", "event_types": []})
    assert changed.status_code == 200, changed.json()
    assert changed.json()["name"] == "Tracker" and changed.json()["event_types"] == []
    assert changed.json()["url"] == RECEIVER  # left out: kept
    before = rows()
    stale = api("manager").patch(path, {"version": 1, "name": "Old copy"})
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    assert api("manager").patch(path, {"version": 2, "name": None}).status_code == 422
    assert api("manager").patch(path, {"name": "No version"}).status_code == 422
    assert rows() == before


def test_a_new_secret_and_the_old_one_both_sign_for_the_overlap(api, endpoint):
    old = endpoint.secret
    answer = api("manager").post(f"webhooks/{endpoint.pk}/rotate-secret", {"overlap_hours": 2})
    assert answer.status_code == 200
    new = answer.json()["secret"]
    assert new != old and answer.json()["previous_secret_until"] is not None
    endpoint.refresh_from_db()
    now = timezone.now()
    body = b'{"ok":true}'
    headers = signed_headers(
        secrets_=endpoint.signing_secrets(now), msg_id="evt_9", sent_at=now, body=body
    )
    assert Webhook(old).verify(body, headers) == {"ok": True}
    assert Webhook(new).verify(body, headers) == {"ok": True}
    assert (
        api("manager")
        .post(f"webhooks/{endpoint.pk}/rotate-secret", {"overlap_hours": 500})
        .status_code
        == 422
    )


def test_disable_enable_and_delete(api, endpoint, moved_orders):
    path = f"webhooks/{endpoint.pk}"
    off = api("manager").post(f"{path}/disable", {"reason": "Moving servers"}).json()
    assert off["is_active"] is False and off["disabled_reason"] == "Moving servers"
    on = api("manager").post(f"{path}/enable").json()
    assert on["is_active"] is True and on["disabled_reason"] == "" and on["version"] == 3
    moved_orders(1)
    assert api("manager").delete(path).status_code == 204
    assert api("manager").get(path).status_code == 404
    assert not Delivery.objects.exists()
    assert api("manager").delete(path).status_code == 404


def test_deliveries_page_newest_first_by_state_with_attempts(api, endpoint, moved_orders):
    deliveries = moved_orders(3)
    ended(deliveries[1], DeliveryState.FAILED, status_code=404)
    path = f"webhooks/{endpoint.pk}/deliveries"
    first = api("manager").get(path, limit=2).json()
    assert [d["id"] for d in first["results"]] == [deliveries[0].pk, deliveries[1].pk]
    assert first["results"][0]["event_id"] == f"evt_{deliveries[0].event_id}"
    assert first["results"][0]["event_type"] == "production_order.status_changed"
    assert first["results"][0]["state"] == "pending"
    rest = api("manager").get(path, limit=2, cursor=first["next_cursor"]).json()
    assert [d["id"] for d in rest["results"]] == [deliveries[2].pk]
    assert rest["next_cursor"] is None
    failed = api("manager").get(path, state="failed").json()["results"]
    assert [d["id"] for d in failed] == [deliveries[1].pk]
    assert failed[0]["next_attempt_at"] is None and failed[0]["last_status_code"] == 404
    assert api("manager").get(path, state="lost").status_code == 422
    assert api("manager").get(path, cursor="nonsense").status_code == 422
    one = api("manager").get(f"webhooks/deliveries/{deliveries[1].pk}").json()
    assert [(t["status_code"], t["outcome"], t["excerpt"]) for t in one["tries"]] == [
        (404, "failed", "Not found")
    ]
    assert one["payload"]["id"] == one["event_id"]
    assert one["payload"]["data"]["status"]["name"] == "At the lab"
    assert one["payload"]["data"]["previous_status"]["name"] == "Ordered"
    assert api("manager").get("webhooks/deliveries/999999").status_code == 404


def test_replay_by_ids_and_every_failure_since(api, endpoint, moved_orders):
    waiting, failed, delivered = moved_orders(3)
    ended(failed, DeliveryState.FAILED, status_code=500)
    ended(delivered, DeliveryState.DELIVERED, status_code=200)
    unknown = api("manager").post("webhooks/deliveries/replay", {"ids": [failed.pk, 999999]})
    assert unknown.status_code == 422 and "no delivery 999999" in str(unknown.json())
    assert Delivery.objects.get(pk=failed.pk).state == "failed"
    assert api("manager").post("webhooks/deliveries/replay", {"ids": []}).status_code == 422
    answer = api("manager").post(
        "webhooks/deliveries/replay", {"ids": [failed.pk, delivered.pk, waiting.pk]}
    )
    assert answer.json() == {"replayed": 2}
    assert set(Delivery.objects.values_list("state", flat=True)) == {"pending"}
    ended(failed, DeliveryState.FAILED, status_code=500)
    again = api("manager").post(
        f"webhooks/{endpoint.pk}/replay-failed", {"since": "2000-01-01T00:00:00Z"}
    )
    assert again.json() == {"replayed": 1}
    future = api("manager").post(
        f"webhooks/{endpoint.pk}/replay-failed", {"since": "2999-01-01T00:00:00Z"}
    )
    assert future.status_code == 400 and future.json()["code"] == "future"


def test_the_event_types_an_endpoint_may_want(api):
    answer = api("manager").get("webhooks/event-types").json()
    assert {t["type"]: t["description"] for t in answer["results"]} == event_types()


@pytest.mark.parametrize("role", ["staff", "readonly"])
def test_other_roles_are_refused_and_nothing_changes(api, endpoint, role):
    before = rows()
    for call in (
        lambda a: a.get("webhooks"),
        lambda a: a.get(f"webhooks/{endpoint.pk}/secret"),
        lambda a: a.post("webhooks", {"name": "Mine", "url": "https://x.example/"}),
        lambda a: a.post(f"webhooks/{endpoint.pk}/rotate-secret", {}),
        lambda a: a.delete(f"webhooks/{endpoint.pk}"),
    ):
        answer = call(api(role))
        assert answer.status_code == 403 and answer.json()["code"] == "permission_denied"
    assert rows() == before
