"""Addresses without arguments are reversed once per process (``darkroom/kept_urls.py``): still
right under a script prefix, and for each URL configuration."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.urls import NoReverseMatch, set_script_prefix

pytestmark = pytest.mark.django_db
urlpatterns: list[object] = []  # a URL configuration with no addresses at all


def test_an_address_under_a_prefix_is_under_it_and_one_without_is_not():
    page = Template("{% url 'hub:list' %}")
    try:
        set_script_prefix("/darkroom/")
        assert page.render(Context()) == "/darkroom/production/"
    finally:
        set_script_prefix("/")
    assert page.render(Context()) == "/production/"


def test_every_page_s_header_still_links_where_it_did(web):
    page = web("staff").get("/production/").content.decode()
    for where in ("/", "/clients/", "/production/board/", "/production/scan/", "/account/tokens/"):
        assert f'href="{where}"' in page


def test_the_tag_keeps_django_s_ways():
    page = Template(
        "{% url 'hub:list' %}|{% url 'hub:list' as where %}{{ where }}|"
        "{% url 'nowhere' as gone %}[{{ gone }}]|{% url 'clients:client-detail' 7 %}"
    )
    set_script_prefix("/")
    assert page.render(Context()) == "/production/|/production/|[]|/clients/7/"
    with pytest.raises(NoReverseMatch):
        Template("{% url 'nowhere' %}").render(Context())


def test_another_url_configuration_is_not_answered_from_what_was_kept():
    assert Template("{% url 'hub:list' %}").render(Context()) == "/production/"
    with override_settings(ROOT_URLCONF=__name__), pytest.raises(NoReverseMatch):
        Template("{% url 'hub:list' %}").render(Context())


def test_a_fixed_address_is_reversed_once():
    from darkroom.kept_urls import _reversed

    page = Template("{% url 'clients:invoice-list' %}")
    page.render(Context())
    before = _reversed.cache_info()
    assert page.render(Context()) == "/invoices/"
    after = _reversed.cache_info()
    assert (after.hits, after.misses) == (before.hits + 1, before.misses)
