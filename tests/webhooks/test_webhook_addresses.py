"""Webhooks go only to public addresses unless the studio allows private ones: a host that is,
or resolves to, a private, loopback or link-local address is refused."""

from __future__ import annotations

import pytest

from darkroom.webhooks.addresses import address_problem


@pytest.fixture
def public_only(settings):
    settings.DARKROOM_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False


@pytest.mark.usefixtures("public_only")
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hooks",
        "http://10.0.0.5/hooks",
        "https://192.168.1.20:8443/hooks",
        "http://172.16.3.4/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:8000/hooks",
        "http://[fe80::1]/hooks",
        "http://[::ffff:10.0.0.1]/hooks",
        "http://0.0.0.0/",
        "http://localhost:8000/hooks",  # resolves to loopback
    ],
)
def test_private_loopback_and_link_local_hosts_are_refused(url):
    problem = address_problem(url)
    assert problem is not None
    assert "webhooks go only to public addresses" in problem


@pytest.mark.usefixtures("public_only")
def test_a_public_ip_address_passes():
    assert address_problem("https://93.184.215.14/hooks") is None
    assert address_problem("https://[2606:4700:4700::1111]/hooks") is None


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://example.com/", "https://"),
        ("https:///hooks", "host name"),
        ("https://example.com:99999/", "not a web address"),
    ],
)
def test_what_is_not_a_web_address_is_refused_whatever_the_setting(url, words):
    assert words in (address_problem(url) or "")


def test_private_addresses_pass_when_the_studio_allows_them(settings):
    settings.DARKROOM_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    assert address_problem("http://127.0.0.1:8000/hooks") is None
    assert address_problem("http://10.0.0.5/hooks") is None
