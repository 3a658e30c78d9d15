"""Pages of clients, sessions and invoices. Lists also answer ``?format=xlsx`` (Excel) and
``?print=1`` (a page to print)."""

from django.urls import path

from darkroom.clients.views import clients, invoices, sessions

app_name = "clients"
urlpatterns = [
    path("clients/", clients.client_list, name="client-list"),
    path("clients/new/", clients.client_create, name="client-create"),
    path("clients/<int:pk>/", clients.client_detail, name="client-detail"),
    path("clients/<int:pk>/edit/", clients.client_edit, name="client-edit"),
    path("clients/<int:pk>/delete/", clients.client_delete, name="client-delete"),
    path("sessions/", sessions.session_list, name="session-list"),
    path("sessions/new/", sessions.session_create, name="session-create"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session-detail"),
    path("sessions/<int:pk>/edit/", sessions.session_edit, name="session-edit"),
    path("sessions/<int:pk>/delete/", sessions.session_delete, name="session-delete"),
    path("invoices/", invoices.invoice_list, name="invoice-list"),
    path("invoices/new/", invoices.invoice_create, name="invoice-create"),
    path("invoices/<int:pk>/", invoices.invoice_detail, name="invoice-detail"),
    path("invoices/<int:pk>/edit/", invoices.invoice_edit, name="invoice-edit"),
    path("invoices/<int:pk>/delete/", invoices.invoice_delete, name="invoice-delete"),
    path("invoices/<int:pk>/payments/", invoices.payment_add, name="payment-add"),
    path(
        "invoices/<int:pk>/payments/<int:payment_pk>/delete/",
        invoices.payment_delete,
        name="payment-delete",
    ),
]
