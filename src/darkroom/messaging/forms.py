"""Forms of the messaging pages. They parse what a person typed; the services check and write."""

from __future__ import annotations

from django import forms

from darkroom.maintenance.forms import ALL, ListQueryForm
from darkroom.messaging.models import Channel
from darkroom.messaging.template_words import BODY_LENGTH, NAME_LENGTH, SUBJECT_LENGTH


class MessageTemplateForm(forms.Form):
    """A template's name, channel and words (the service says what is wrong with them)."""

    name = forms.CharField(
        max_length=NAME_LENGTH,
        help_text="How triggers name it, e.g. “Album ready (SMS)”.",
        error_messages={"required": "Give the template a name, e.g. “Album ready”."},
    )
    channel = forms.ChoiceField(choices=Channel.choices)
    subject = forms.CharField(
        max_length=SUBJECT_LENGTH,
        required=False,
        strip=False,
        help_text="Emails need one; letters may have one.",
    )
    body = forms.CharField(
        label="Text",
        max_length=BODY_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "true"}),
        error_messages={"required": "Write the text of the message."},
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def changes(self) -> dict[str, str]:
        """The words as the services take them."""
        data = self.cleaned_data
        return {name: data[name] for name in ("name", "channel", "subject", "body")}


class MessageTemplateQueryForm(ListQueryForm):
    channel = forms.ChoiceField(choices=[(ALL, "All"), *Channel.choices], required=False)
