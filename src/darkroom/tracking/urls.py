"""Pages of the status engine. Each views module declares its own ``urlpatterns``."""

from darkroom.tracking.views import changes, status_edits, statuses

app_name = "tracking"
urlpatterns = [*statuses.urlpatterns, *status_edits.urlpatterns, *changes.urlpatterns]
