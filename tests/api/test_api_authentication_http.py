"""Authentication as an integrator meets it: a real HTTP server and a plain HTTP client.

Django's test client skips CSRF checks unless told, which once let an anonymous write pass
tests claiming 401 while real callers got 403 "CSRF check Failed". Here every write operation
of the OpenAPI schema is sent over a socket to the live server: without credentials, with a
token nobody holds, and from a logged-in browser session without and with its CSRF token.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from typing import Any

import pytest
from django.test import Client

from darkroom.api.api import api as darkroom_api
from darkroom.catalog.models import Vendor

pytestmark = pytest.mark.django_db(transaction=True)

WRITES = ("post", "put", "patch", "delete")


def _write_operations() -> list[tuple[str, str]]:
    schema = darkroom_api.get_openapi_schema()
    return sorted(
        (method, re.sub(r"\{[^}]+\}", "1", path))
        for path, operations in schema["paths"].items()
        for method in operations
        if method in WRITES
    )


def send(
    base: str, method: str, path: str, headers: dict[str, str] | None = None, body: Any = None
) -> tuple[int, dict[str, Any]]:
    """One request over HTTP; the status and the JSON body, whatever the status."""
    data = json.dumps({} if body is None else body).encode()
    request = urllib.request.Request(
        base + path,
        data=data,
        method=method.upper(),
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            status, raw = answer.status, answer.read()
    except urllib.error.HTTPError as refusal:
        status, raw = refusal.code, refusal.read()
    return status, json.loads(raw) if raw else {}


def test_every_write_is_401_without_credentials_or_with_a_bad_token(live_server):
    operations = _write_operations()
    assert len(operations) > 50
    refused = []
    for method, path in operations:
        for headers in ({}, {"Authorization": "Bearer drk_nobody-holds-this-token"}):
            status, body = send(live_server.url, method, path, headers)
            if status != 401 or body.get("code") != "not_authenticated":
                refused.append((method, path, bool(headers), status, body))
    assert refused == []


def _logged_in_session(user) -> tuple[str, str]:
    """A browser's cookies after logging in: the session and the CSRF cookie."""
    browser = Client()
    browser.force_login(user)
    browser.get("/")  # any page sets the CSRF cookie, as it does for a browser
    return browser.cookies["sessionid"].value, browser.cookies["csrftoken"].value


def test_a_session_write_needs_its_csrf_token(live_server, people):
    session, csrf = _logged_in_session(people["manager"])
    cookies = {"Cookie": f"sessionid={session}; csrftoken={csrf}"}

    status, body = send(live_server.url, "post", "/api/v1/vendors", cookies, {"name": "Lab"})
    assert (status, body["code"]) == (403, "csrf_failed")
    assert "X-CSRFToken" in body["detail"]
    assert not Vendor.objects.exists()

    with_token = {**cookies, "X-CSRFToken": csrf, "Referer": live_server.url + "/"}
    status, body = send(live_server.url, "post", "/api/v1/vendors", with_token, {"name": "Lab"})
    assert status == 201, body
    assert list(Vendor.objects.values_list("name", flat=True)) == ["Lab"]


def test_a_bearer_token_needs_no_csrf_token(live_server, people):
    from darkroom.studio.services import api_token_create

    token = api_token_create(user=people["manager"])
    headers = {"Authorization": f"Bearer {token}"}
    status, body = send(live_server.url, "post", "/api/v1/vendors", headers, {"name": "Lab"})
    assert status == 201, body
    assert body["name"] == "Lab"
