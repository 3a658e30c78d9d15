"""URL root: pages per app, the API at /api/v1/, Django admin at /admin/."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from darkroom.api.api import api
from darkroom.favicon import favicon

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("favicon.ico", favicon, name="favicon"),
    path("", include("darkroom.studio.urls")),
    path("", include("darkroom.clients.urls")),
    path("tasks/", include("darkroom.todos.urls")),
    path("messages/", include("darkroom.messaging.review_urls")),
    path("", include("darkroom.tracking.urls")),
    # Messaging first: its pages under /maintenance/ must win over Maintenance's own lists.
    path("", include("darkroom.messaging.urls")),
    # Before the maintenance lists: their /maintenance/<slug>/ would take "triggers".
    path("maintenance/triggers/", include("darkroom.messaging.trigger_urls")),
    path("maintenance/", include("darkroom.maintenance.urls")),
    path("production/", include("darkroom.hub.urls")),
    path("production/", include("darkroom.production.urls")),
    path("reports/", include("darkroom.reports.urls")),
    path("", include("darkroom.feeds.urls")),
    path("", include("darkroom.client_pages.urls")),
    path("", include("darkroom.webhooks.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
