"""The API root keeps its promises outside any one router: JSON refusals, offline docs."""

import pytest

pytestmark = pytest.mark.django_db


def test_unknown_api_path_is_a_json_404(api):
    response = api("manager").get("/api/v1/no-such-things")
    assert response.status_code == 404
    assert response.json() == {
        "detail": "There is no API endpoint at this address; see /api/v1/docs.",
        "code": "not_found",
    }


def test_wrong_method_is_a_json_405(api):
    response = api("manager").client.put(
        "/api/v1/me", "{}", content_type="application/json", headers=api("manager").headers
    )
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]


def test_interactive_docs_are_served_without_internet(client):
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui" in page
    assert "cdn." not in page
    assert client.get("/static/ninja/swagger-ui.css").status_code == 200


def test_duplicate_identifier_is_reported_on_its_field(api):
    caller = api("manager")
    body = {"identifier": "8x10", "description": "Print", "price": "10.00"}
    assert caller.post("price-list-items", body).status_code == 201
    again = caller.post("price-list-items", {**body, "identifier": "8X10"})
    assert (again.status_code, again.json()["code"]) == (409, "duplicate")
    assert again.json()["fields"] == {
        "identifier": ["Another price list item already has this identifier."]
    }


def test_every_operation_documents_the_refusals_any_request_may_meet():
    from darkroom.api.api import api as darkroom_api

    schema = darkroom_api.get_openapi_schema()
    missing = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            statuses = {str(status) for status in operation["responses"]}
            needed = {"422"} | ({"400", "409", "413"} if method != "get" else set())
            if operation.get("security"):
                needed.add("401")
            if needed - statuses:
                missing.append((method, path, sorted(needed - statuses)))
    assert missing == []
