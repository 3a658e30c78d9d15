"""Pages for clients, sessions and invoices."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


@login_required
def placeholder(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse("")
