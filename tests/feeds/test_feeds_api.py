"""/api/v1/calendar-feeds: everyone makes, lists and revokes their own feed; a department's
and the studio's are a manager's; bad input is a 422 that changes nothing; the address comes
once, in the answer that made the feed, and works at once."""

from __future__ import annotations

import pytest

from darkroom.feeds.models import CalendarFeed
from tests.feeds.conftest import read_feed

pytestmark = pytest.mark.django_db


def rows() -> list[dict]:
    return list(CalendarFeed.objects.order_by("pk").values())


def test_everyone_makes_their_own_feed_and_reads_it(api, people):
    for role in ("readonly", "staff", "manager"):
        answer = api(role).post("calendar-feeds", {})
        assert answer.status_code == 201, answer.json()
        made = answer.json()
        assert made["scope"] == "person"
        assert made["user"] == {"id": people[role].pk, "name": people[role].first_name}
        assert made["url"].startswith("http://testserver/feeds/drcal_")
        assert made["url"].endswith(".ics")
        assert made["webcal_url"] == "webcal://" + made["url"].removeprefix("http://")
        assert made["key_prefix"] == made["url"].split("/feeds/")[1][:12]
        feed = read_feed(made["url"].removeprefix("http://testserver"))
        assert feed.status == 200 and feed.events() == {}
        stored = CalendarFeed.objects.get(pk=made["id"])
        assert made["url"].split("/feeds/")[1][:-4] not in str(stored.__dict__)


def test_a_list_shows_your_own_feeds_and_a_managers_every_feed(api, people):
    own = api("staff").post("calendar-feeds", {}).json()
    studio = api("manager").post("calendar-feeds", {"scope": "studio"}).json()
    mine = api("staff").get("calendar-feeds").json()
    assert [f["id"] for f in mine["results"]] == [own["id"]]
    assert "url" not in mine["results"][0]
    every = api("manager").get("calendar-feeds").json()
    assert [f["id"] for f in every["results"]] == [studio["id"], own["id"]]
    assert studio["name"] == "the whole studio"
    only = api("manager").get("calendar-feeds", scope="studio").json()
    assert [f["id"] for f in only["results"]] == [studio["id"]]


def test_staff_cant_make_a_studio_or_department_feed(api, retouching):
    for body in ({"scope": "studio"}, {"scope": "department", "department": retouching.pk}):
        before = rows()
        refused = api("staff").post("calendar-feeds", body)
        assert refused.status_code == 403
        assert refused.json()["code"] == "permission_denied"
        assert rows() == before


def test_a_manager_makes_a_department_feed_that_replaces_the_one_before(api, retouching):
    first = api("manager").post(
        "calendar-feeds", {"scope": "department", "department": retouching.pk}
    )
    assert first.status_code == 201
    assert first.json()["department"] == {"id": retouching.pk, "name": "Retouching"}
    second = (
        api("manager")
        .post("calendar-feeds", {"scope": "department", "department": retouching.pk})
        .json()
    )
    assert read_feed(first.json()["url"]).status == 404
    assert read_feed(second["url"]).status == 200
    listed = api("manager").get("calendar-feeds", revoked=True).json()["results"]
    assert [f["id"] for f in listed] == [first.json()["id"]]
    assert listed[0]["revoked_by"]["name"] == "Manager"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"scope": "everyone"}, None),
        ({"scope": "department"}, "department"),
        ({"scope": "department", "department": 999999}, "department"),
        ({"scope": "department", "department": 0}, None),
        ({"scope": "department", "department": "Retouching"}, None),
        ({"scope": "person", "department": 1}, "department"),
        ({"scope": "studio", "color": "red"}, None),
    ],
)
def test_bad_input_is_refused_with_422_and_changes_nothing(api, retouching, body, field):
    before = rows()
    refused = api("manager").post("calendar-feeds", body)
    assert refused.status_code == 422, refused.json()
    assert refused.json()["code"] == "invalid"
    if field:
        assert field in refused.json()["fields"]
    assert rows() == before


def test_revoking_a_feed_makes_its_address_404_at_once(api):
    made = api("staff").post("calendar-feeds", {}).json()
    assert api("staff").delete(f"calendar-feeds/{made['id']}").status_code == 204
    assert read_feed(made["url"]).status == 404
    assert api("staff").delete(f"calendar-feeds/{made['id']}").status_code == 204  # no change
    assert api("staff").get("calendar-feeds").json()["results"] == []


def test_someone_elses_feed_is_404_to_a_non_manager_and_a_managers_to_revoke(api):
    made = api("staff").post("calendar-feeds", {}).json()
    before = rows()
    assert api("readonly").delete(f"calendar-feeds/{made['id']}").status_code == 404
    assert api("staff").delete("calendar-feeds/999999").status_code == 404
    assert rows() == before
    assert api("manager").delete(f"calendar-feeds/{made['id']}").status_code == 204
    assert read_feed(made["url"]).status == 404


def test_anonymous_callers_get_401(api):
    for answer in (api(None).get("calendar-feeds"), api(None).post("calendar-feeds", {})):
        assert answer.status_code == 401
    assert rows() == []


def test_the_openapi_schema_documents_the_endpoints(api):
    schema = api("readonly").get("openapi.json").json()
    operations = schema["paths"]["/api/v1/calendar-feeds"]
    assert {"get", "post"} <= set(operations)
    assert "422" in operations["post"]["responses"] and "403" in operations["post"]["responses"]
    assert "delete" in schema["paths"]["/api/v1/calendar-feeds/{id}"]
