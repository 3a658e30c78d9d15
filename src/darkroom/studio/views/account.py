"""A person's account, under /account/: changing their password, and the "API tokens" page (their
own tokens: list, make one, revoke), with the revoke button that also serves managers on a
person's page in Maintenance › People.

Everyone with a role may manage their own tokens; managers revoke anyone's. Someone else's token
answers 404 to a non-manager. The views parse the forms and call the services of studio.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from darkroom.studio.access import requires
from darkroom.studio.forms import PasswordChangeForm
from darkroom.studio.models import ApiToken
from darkroom.studio.roles import request_role
from darkroom.studio.selectors import api_token_lists, may_manage_tokens
from darkroom.studio.services import (
    TOKEN_NAME_LENGTH,
    api_token_expiry,
    api_token_issue,
    api_token_revoke,
    password_change,
)


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=TOKEN_NAME_LENGTH,
        help_text="What the token is for, e.g. “Lab sync” or “Accounting export”.",
        error_messages={"required": "Give the token a name that says what it is for."},
    )
    expires_on = forms.DateField(
        label="Stops working on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Optional. It stops at the start of that day; leave empty to keep it until "
        "you revoke it.",
        error_messages={"invalid": "Write the date as 2027-01-01."},
    )

    def clean_expires_on(self) -> dt.date | None:
        day = self.cleaned_data["expires_on"]
        if day is not None and day <= timezone.localdate():
            raise ValidationError("Choose a day after today.")
        return day


def _has_a_role(request: HttpRequest) -> None:
    if request_role(request) is None:
        raise PermissionDenied("Your role does not allow this.")


@requires()
def tokens_page(request: HttpRequest) -> HttpResponse:
    """The logged-in person's tokens; a new token's secret is shown on the answer to its form,
    once, and never stored where a later page could show it again."""
    _has_a_role(request)
    secret = ""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        day = form.cleaned_data["expires_on"]
        try:
            token, secret = api_token_issue(
                user=request.user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
                expires_at=api_token_expiry(day) if day else None,
            )
        except ValidationError as exc:
            for field, problems in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            form = TokenForm()
    context = {"form": form, "secret": secret, **api_token_lists(user=request.user)}
    if secret:
        context["new_token"] = token
    response = render(request, "studio/tokens.html", context)
    response["Cache-Control"] = "no-store"  # the secret must not stay in a cache
    return response


@requires()
@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one token: your own, or anyone's for a manager; then back where the button was."""
    _has_a_role(request)
    token = ApiToken.objects.select_related("user").filter(pk=pk).first()
    if token is None or not may_manage_tokens(actor=request.user, owner=token.user):
        raise Http404
    api_token_revoke(token=token, by=request.user)  # type: ignore[arg-type]
    messages.success(request, f"Revoked the token “{token.name or token.key_prefix}”.")
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(reverse("studio:tokens"))


@login_required
def password_change_view(request: HttpRequest) -> HttpResponse:
    """Every role may change their own password; they stay logged in here, other browsers
    where they were logged in are logged out."""
    form = PasswordChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            password_change(
                user=request.user,  # type: ignore[arg-type]
                current_password=form.cleaned_data["current_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field, error)
        else:
            update_session_auth_hash(request, request.user)  # type: ignore[arg-type]
            messages.success(request, "Your password is changed. Use the new one next time.")
            return redirect("studio:home")
    return render(request, "studio/password_change.html", {"form": form})
