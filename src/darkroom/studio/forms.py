"""The studio's own forms for the signed-in person."""

from __future__ import annotations

from typing import Any

from django import forms

from darkroom.studio.services import PASSWORD_RULES


def _password(label: str, autocomplete: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        help_text=help_text,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


class PasswordChangeForm(forms.Form):
    """Your current password, then the new one twice (the rules are checked by the service)."""

    current_password = _password("Current password", "current-password")
    new_password = _password("New password", "new-password", PASSWORD_RULES)
    new_password_confirm = _password("New password again", "new-password")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password") != data.get("new_password_confirm"):
            self.add_error("new_password_confirm", "The two new passwords are not the same.")
        return data
