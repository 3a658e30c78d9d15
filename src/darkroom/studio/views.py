"""The signed-in person's own pages: home, and changing their password."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from darkroom.studio.access import may
from darkroom.studio.forms import PasswordChangeForm
from darkroom.studio.home import home_overview
from darkroom.studio.services import password_change


@login_required
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "can_create_client": may(request, "clients.add_client"),
        "can_create_invoice": may(request, "clients.add_invoice"),
    }
    if may(request, "clients.view_invoice"):
        context["overview"] = home_overview(today=request.studio.today())  # type: ignore[attr-defined]
    return render(request, "studio/home.html", context)


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
