"""Pages of production orders: the scan station and an order's own page.

``/production/`` itself is the studio's production page (``studio:production``).
"""

from django.urls import path

from darkroom.production import views

app_name = "production"
urlpatterns = [
    path("scan/", views.scan_station, name="scan"),
    path("orders/<int:pk>/", views.order_detail, name="order-detail"),
]
