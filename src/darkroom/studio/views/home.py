"""The home page: what a person sees first when they log in (``studio/home.py`` reads it)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from darkroom.studio.access import may
from darkroom.studio.home import home_overview


@login_required
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "can_create_client": may(request, "clients.add_client"),
        "can_create_invoice": may(request, "clients.add_invoice"),
    }
    if may(request, "clients.view_invoice"):
        context["overview"] = home_overview(today=request.studio.today())  # type: ignore[attr-defined]
    return render(request, "studio/home.html", context)
