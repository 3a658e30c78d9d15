"""The webhooks pages, a manager's: /webhooks/ and /webhooks/events/."""

from django.urls import path

from darkroom.webhooks import views

app_name = "webhooks"
urlpatterns = [
    path("webhooks/", views.endpoint_list, name="endpoint-list"),
    path("webhooks/new/", views.endpoint_create, name="endpoint-create"),
    path("webhooks/events/", views.events_list, name="events"),
    path("webhooks/<int:pk>/", views.endpoint_detail, name="endpoint-detail"),
    path("webhooks/<int:pk>/edit/", views.endpoint_edit, name="endpoint-edit"),
    path("webhooks/<int:pk>/rotate-secret/", views.endpoint_rotate, name="endpoint-rotate"),
    path("webhooks/<int:pk>/disable/", views.endpoint_disable, name="endpoint-disable"),
    path("webhooks/<int:pk>/enable/", views.endpoint_enable, name="endpoint-enable"),
    path("webhooks/<int:pk>/delete/", views.endpoint_delete, name="endpoint-delete"),
    path("webhooks/<int:pk>/replay/", views.deliveries_replay, name="deliveries-replay"),
]
