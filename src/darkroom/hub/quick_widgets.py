"""The filter bar's widgets, drawn in Python with the markup Django's widget templates draw: a
select, a multiple select, a text box and a date.

The bar has hundreds of options (every vendor, person and status) and is drawn on every hub
page; drawing each option through a template cost more than the rest of the page together.
Apart from the forms (``forms.py``), which say what the bar offers: these only say how it is
drawn, escaping every value and label as the templates would.
"""

from __future__ import annotations

import functools
from html import escape
from typing import Any

from django import forms
from django.utils.safestring import SafeString

from darkroom.tracking.forms import DateInput


def _escaped(value: Any) -> str:
    """``conditional_escape`` in one call: safe HTML as it is, anything else escaped."""
    return value.__html__() if hasattr(value, "__html__") else escape(str(value))


@functools.lru_cache(maxsize=8192)
def _option(value: str, label: str) -> tuple[str, str]:
    """An option's markup, not chosen and chosen: the same few hundred options are drawn on
    every page, each escaped once per process instead."""
    start = f'\n  <option value="{_escaped(value)}"'
    end = f">{_escaped(label)}</option>"
    return start + end, start + " selected" + end


class QuickChoices:
    """A select drawn in Python, the same markup as Django's widget templates draw it.

    Why: the filter bar has hundreds of options (every vendor, person and status), and drawing
    each through the option template cost more than the rest of the page together. The
    attributes (id, aria-*, required) are still Django's, from the bound field; every value
    and label is escaped here, as the templates would.
    """

    choices: Any
    attrs: dict[str, Any]
    allow_multiple_selected: bool

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = set(self.format_value(value))  # type: ignore[attr-defined]
        every = self.build_attrs(self.attrs, attrs)  # type: ignore[attr-defined]
        if self.allow_multiple_selected:
            every["multiple"] = True
        parts = [f'<select name="{_escaped(name)}"{_attributes(every)}>']
        taken = False
        for group_value, group_label in self.choices:
            if isinstance(group_label, (list, tuple)):
                options, group = group_label, group_value
                parts.append(f'\n  <optgroup label="{_escaped(group)}">')
            else:
                options, group = [("" if group_value is None else group_value, group_label)], None
            for option, label in options:
                value = str(option)
                selected = (not taken or self.allow_multiple_selected) and value in chosen
                taken |= selected
                if isinstance(label, str) and not hasattr(label, "__html__"):
                    parts.append(_option(value, label)[selected])
                else:  # a lazy or safe label: drawn each time
                    parts.append(
                        f'\n  <option value="{_escaped(value)}"{" selected" if selected else ""}>'
                        f"{_escaped(label)}</option>"
                    )
            if group is not None:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return SafeString("".join(parts))  # every value above escaped


class QuickSelect(QuickChoices, forms.Select):
    pass


def _attributes(every: dict[str, Any]) -> str:
    """A tag's attributes as Django's ``attrs.html`` writes them."""
    return "".join(
        f" {_escaped(key)}" if val is True else f' {_escaped(key)}="{_escaped(val)}"'
        for key, val in every.items()
        if val is not False
    )


class QuickInput:
    """An input drawn in Python, the same markup as Django's ``input.html``: the filter bar's
    search box and date were the last of its fields drawn through templates on every page."""

    attrs: dict[str, Any]

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        kind = self.input_type  # type: ignore[attr-defined]
        shown = self.format_value(value)  # type: ignore[attr-defined]
        every = self.build_attrs(self.attrs, attrs)  # type: ignore[attr-defined]
        given = "" if shown is None else f' value="{_escaped(shown)}"'
        return SafeString(  # every value escaped
            f'<input type="{_escaped(kind)}" name="{_escaped(name)}"{given}{_attributes(every)}>'
        )


class QuickText(QuickInput, forms.TextInput):
    pass


class QuickDate(QuickInput, DateInput):
    pass


class QuickSelectMultiple(QuickChoices, forms.SelectMultiple):
    pass
