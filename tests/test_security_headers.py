"""The headers that tell a browser what Darkroom's pages may do: CSP always, HSTS over HTTPS.

HSTS depends on ``DARKROOM_SECURE_COOKIES``, read when the settings load, so those tests start a
fresh Python with the environment a studio would set and ask Django for a real answer.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        (None, "/login/", 200),
        ("manager", "/", 200),
        ("staff", "/production/scan/", 200),
        ("staff", "/invoices/", 200),
        ("manager", "/api/v1/docs", 200),
        ("manager", "/api/v1/me", 200),
        ("readonly", "/no-such-page/", 404),
    ],
)
def test_every_answer_carries_the_policy_without_inline_code(web, role, path, status):
    response = web(role).get(path)
    assert response.status_code == status
    policy = directives(response["Content-Security-Policy"])
    assert policy == POLICY
    assert "'unsafe-inline'" not in policy["script-src"] + policy["style-src"]
    assert "'unsafe-eval'" not in policy["script-src"]


def test_other_cheap_headers_are_sent(web):
    response = web("staff").get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_no_hsts_while_secure_cookies_are_off(web):
    """A laptop or a plain-HTTP trial must not pin the browser to HTTPS, even if asked over TLS."""
    assert "Strict-Transport-Security" not in web("staff").get("/", secure=True)


ASK_DJANGO = """
import django
django.setup()
from django.test import Client
for secure in (True, False):
    answer = Client().get("/static/darkroom/darkroom.css", secure=secure)
    print(answer.status_code, answer.get("Strict-Transport-Security", "none"))
"""


def start_darkroom(tmp_path, **environment: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DARKROOM_") and key != "DATABASE_URL"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="darkroom.settings",
        DARKROOM_DATA_DIR=str(tmp_path),
        DARKROOM_ALLOWED_HOSTS="testserver",
        **environment,
    )
    return subprocess.run(
        [sys.executable, "-c", ASK_DJANGO], env=env, capture_output=True, text=True, timeout=60
    )


def test_hsts_for_a_year_over_https_once_secure_cookies_are_on(tmp_path):
    run = start_darkroom(tmp_path, DARKROOM_SECURE_COOKIES="1")
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["200 max-age=31536000", "200 none"]


def test_hsts_can_be_shortened_while_trying_https(tmp_path):
    run = start_darkroom(tmp_path, DARKROOM_SECURE_COOKIES="1", DARKROOM_HSTS_SECONDS="300")
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["200 max-age=300", "200 none"]


def test_hsts_without_secure_cookies_stays_off(tmp_path):
    run = start_darkroom(tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["200 none", "200 none"]


def test_a_bad_hsts_duration_is_refused_in_plain_words(tmp_path):
    run = start_darkroom(tmp_path, DARKROOM_SECURE_COOKIES="1", DARKROOM_HSTS_SECONDS="a year")
    assert run.returncode == 1
    assert (
        "ImproperlyConfigured: DARKROOM_HSTS_SECONDS must be a whole number of seconds, "
        "not 'a year'." in run.stderr
    )
