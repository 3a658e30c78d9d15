"""How a form shows a service's refusal: beside the fields it names, the rest above the form.

Services raise ``ValidationError`` keyed by their own argument names; every page that calls one
turns the refusal into form errors the same way, so the message a person reads does not depend
on which page they were on.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's refusal beside the fields it names (the rest above the form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)
