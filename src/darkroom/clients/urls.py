from django.urls import path

from darkroom.clients import views

app_name = "clients"
urlpatterns = [
    path("clients/", views.placeholder, name="client-list"),
    path("clients/<int:pk>/", views.placeholder, name="client-detail"),
    path("sessions/", views.placeholder, name="session-list"),
    path("sessions/<int:pk>/", views.placeholder, name="session-detail"),
    path("invoices/", views.placeholder, name="invoice-list"),
    path("invoices/<int:pk>/", views.placeholder, name="invoice-detail"),
]
