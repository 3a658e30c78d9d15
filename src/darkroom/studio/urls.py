from django.urls import path

from darkroom.studio import views

app_name = "studio"
urlpatterns = [
    path("", views.home, name="home"),
    path("production/", views.production, name="production"),
]
