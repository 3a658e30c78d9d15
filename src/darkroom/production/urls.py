"""Pages of production orders: the scan station, an order's page and its actions, making an
invoice's orders, printing orders picked from a list, and proof orders.

``/production/`` itself is the production hub (``hub:list``, darkroom/hub/).
"""

from django.urls import path

from darkroom.production import automation_pages, details_pages, order_pages, views

app_name = "production"
urlpatterns = [
    path("scan/", views.scan_station, name="scan"),
    path("automation/", automation_pages.automation_preferences, name="automation"),
    path(
        "invoices/<int:pk>/orders/not-now/",
        automation_pages.prompt_dismiss,
        name="automation-prompt-dismiss",
    ),
    path("orders/", order_pages.order_list, name="order-list"),
    path("orders/<int:pk>/", views.order_detail, name="order-detail"),
    path("orders/<int:pk>/edit/", views.order_edit, name="order-edit"),
    path("orders/<int:pk>/number/", views.order_number, name="order-number"),
    path("orders/<int:pk>/reorder/", views.order_reorder, name="order-reorder"),
    path("orders/<int:pk>/details/", details_pages.order_details, name="order-details"),
    path(
        "orders/<int:pk>/details/<int:detail_pk>/edit/",
        details_pages.order_detail_edit,
        name="order-detail-edit",
    ),
    path(
        "orders/<int:pk>/details/<int:detail_pk>/move/",
        details_pages.order_detail_move,
        name="order-detail-move",
    ),
    path(
        "orders/<int:pk>/details/<int:detail_pk>/delete/",
        details_pages.order_detail_delete,
        name="order-detail-delete",
    ),
    path("print/", views.print_orders, name="print"),
    path(
        "invoices/<int:pk>/orders/new/",
        views.invoice_orders_create,
        name="orders-create",
    ),
    path(
        "sessions/<int:pk>/proof-orders/new/", views.proof_order_create, name="proof-order-create"
    ),
    path("proof-orders/<int:pk>/", views.proof_order_detail, name="proof-order-detail"),
    path("proof-orders/<int:pk>/edit/", views.proof_order_edit, name="proof-order-edit"),
]
