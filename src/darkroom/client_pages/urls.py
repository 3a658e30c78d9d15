"""The client's status page, and the invoice page's actions on its link."""

from django.urls import path

from darkroom.client_pages import views

app_name = "client_pages"
urlpatterns = [
    path("status/<str:key>/", views.status_page_view, name="status-page"),
    path(
        "invoices/<int:pk>/status-link/",
        views.status_link_make_view,
        name="status-link-make",
    ),
    path(
        "invoices/<int:pk>/status-link/<int:link_pk>/revoke/",
        views.status_link_revoke_view,
        name="status-link-revoke",
    ),
]
