"""Pages of the status engine. Each views module declares its own ``urlpatterns``."""

from darkroom.tracking.views import changes, statuses

app_name = "tracking"
urlpatterns = [*statuses.urlpatterns, *changes.urlpatterns]
