"""Webhooks never go into the studio's own network unless the studio allows it: checked when
an endpoint is saved (``address_problem``) and again at every send, on every address the host
resolves to, and the request goes to the address that was checked."""

from __future__ import annotations

import pytest
from django.test import override_settings

from darkroom.webhooks.addresses import address_pinned, address_problem
from darkroom.webhooks.models import Delivery, DeliveryAttempt
from darkroom.webhooks.sending import deliveries_send
from tests.webhooks.conftest import endpoint_for, happened

refused = override_settings(DARKROOM_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES=False)


@refused
@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://127.0.0.1:8000/hooks", "127.0.0.1 is a loopback address"),
        ("http://localhost/hooks", "localhost resolves to"),
        ("https://[::1]/hooks", "a loopback address"),
        ("http://10.1.2.3/hooks", "a private address"),
        ("http://192.168.1.1/hooks", "a private address"),
        ("http://172.16.0.9/hooks", "a private address"),
        ("http://169.254.169.254/latest/meta-data", "a link-local address"),
        ("http://0.0.0.0/hooks", "an unspecified address"),
        ("http://224.0.0.1/hooks", "a multicast address"),
        ("http://[::ffff:127.0.0.1]/hooks", "a loopback address"),
        ("http://[fe80::1]/hooks", "fe80::1 is a link-local address"),
        ("http://[::ffff:10.0.0.1]/hooks", "::ffff:10.0.0.1 is a private address"),
        ("http://240.0.0.1/hooks", "address"),
    ],
)
def test_private_loopback_and_link_local_addresses_are_refused(url, words):
    problem = address_problem(url)
    assert problem is not None and problem.startswith("Refused: ")
    assert words in problem
    assert "DARKROOM_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES" in problem


@refused
@pytest.mark.parametrize(
    "url", ["ftp://example.com/hooks", "hooks.example.com", "https:///nohost", "http://a:99999/"]
)
def test_what_is_not_a_web_address_is_refused(url):
    problem = address_problem(url)
    assert problem is not None and "not a web address Darkroom can send to" in problem


@refused
def test_a_public_address_is_fine_and_pinned_with_its_name_kept():
    assert address_problem("https://93.184.215.14/hooks") is None
    pinned = address_pinned("https://93.184.215.14:8443/hooks?x=1")
    assert pinned.url == "https://93.184.215.14:8443/hooks?x=1"
    assert (pinned.host_header, pinned.address) == ("93.184.215.14:8443", "93.184.215.14")


def test_a_name_is_sent_to_the_address_checked_while_the_host_header_keeps_the_name():
    pinned = address_pinned("http://localhost:8123/hooks")
    assert pinned.url in ("http://127.0.0.1:8123/hooks", "http://[::1]:8123/hooks")
    assert (pinned.host_header, pinned.server_name) == ("localhost:8123", "localhost")


def test_loopback_is_fine_where_the_studio_allows_private_addresses():
    assert address_problem("http://127.0.0.1:8000/hooks") is None


def test_an_endpoint_saved_while_allowed_is_refused_at_send_time_once_not(receiver, db):
    url = receiver.url()
    assert address_problem(url) is None  # allowed when it was saved
    endpoint = endpoint_for(receiver, url=url)
    event = happened()

    with refused:
        assert deliveries_send() == 1

    delivery = Delivery.objects.get(event=event, endpoint=endpoint)
    assert delivery.state == "failed"
    assert delivery.reason.startswith("Refused: 127.0.0.1 is a loopback address")
    attempt = DeliveryAttempt.objects.get(delivery=delivery)
    assert (attempt.outcome, attempt.status_code) == ("failed", None)
    assert attempt.excerpt == delivery.reason
    assert receiver.received == []  # nothing left for the receiver
    endpoint.refresh_from_db()
    assert endpoint.failing_since is not None


def test_a_name_that_resolves_to_loopback_is_refused_at_send_time(receiver, db):
    endpoint = endpoint_for(receiver, url=f"http://localhost:{receiver.port}/hooks")
    event = happened()

    with refused:
        deliveries_send()

    delivery = Delivery.objects.get(event=event, endpoint=endpoint)
    assert delivery.state == "failed"
    assert delivery.reason.startswith("Refused: localhost resolves to")
    assert receiver.received == []


def test_a_name_is_delivered_to_under_its_own_name(receiver, db):
    endpoint_for(receiver, url=f"http://localhost:{receiver.port}/hooks")
    happened()

    deliveries_send()

    [got] = receiver.wait_for(1)  # localhost is 127.0.0.1 first here (the receiver's address)
    assert got.headers["host"] == f"localhost:{receiver.port}" and got.verified
