"""Pages of production orders: the scan station, an order's page and its actions, making an
invoice's orders and a session's proof orders.

``/production/`` itself is the studio's production page (``studio:production``).
"""

from django.urls import path

from darkroom.production import views

app_name = "production"
urlpatterns = [
    path("scan/", views.scan_station, name="scan"),
    path("orders/<int:pk>/", views.order_detail, name="order-detail"),
    path("orders/<int:pk>/edit/", views.order_edit, name="order-edit"),
    path("orders/<int:pk>/number/", views.order_number, name="order-number"),
    path("orders/<int:pk>/reorder/", views.order_reorder, name="order-reorder"),
    path(
        "invoices/<int:pk>/orders/new/",
        views.invoice_orders_create,
        name="orders-create",
    ),
    path(
        "sessions/<int:pk>/proof-orders/new/", views.proof_order_create, name="proof-order-create"
    ),
]
