"""The ``{% url %}`` tag, with each address that takes no arguments reversed once per process.

Why: every page's header and navigation name a dozen fixed addresses ("Clients", "Production",
"Log out"…), and Django reverses each one again on every page by walking the URL patterns:
about a millisecond a page. An address without arguments is the same for the whole life of the
process, given the URL configuration, the script prefix (``SCRIPT_NAME``) and the current
application namespace, so it is kept per those. Addresses with arguments are reversed as
before. Loaded as a builtin (``settings.TEMPLATES``), so templates keep writing ``{% url %}``.
"""

from __future__ import annotations

import functools
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import Parser, Token
from django.template.context import Context
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()


@functools.lru_cache(maxsize=1024)
def _reversed(view_name: str, current_app: str | None, urlconf: Any, prefix: str) -> str:
    return reverse(view_name, current_app=current_app)


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: Any) -> None:
    if setting == "ROOT_URLCONF":
        _reversed.cache_clear()


class KeptURLNode(URLNode):
    def render(self, context: Context) -> str:
        view_name = self.view_name.resolve(context)
        if self.args or self.kwargs or not isinstance(view_name, str):
            return super().render(context)
        request = getattr(context, "request", None)
        try:
            current_app = request.current_app  # type: ignore[union-attr]
        except AttributeError:
            try:
                current_app = request.resolver_match.namespace  # type: ignore[union-attr]
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = _reversed(view_name, current_app, get_urlconf(), get_script_prefix())
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser: Parser, token: Token) -> KeptURLNode:
    node = django_url(parser, token)
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)
