"""Pages of production orders: the scan station, an order's page and its actions, making an
invoice's orders, printing orders picked from a list, and proof orders.

``/production/`` itself is the production hub (``hub:list``, darkroom/hub/).
"""

from django.urls import path

from darkroom.production.views import (
    automation,
    details,
    invoice_orders,
    order_list,
    orders,
    proof_orders,
    scans,
)

app_name = "production"
urlpatterns = [
    path("scan/", scans.scan_station, name="scan"),
    path("automation/", automation.automation_preferences, name="automation"),
    path(
        "invoices/<int:pk>/orders/not-now/",
        automation.prompt_dismiss,
        name="automation-prompt-dismiss",
    ),
    path("orders/", order_list.order_list, name="order-list"),
    path("orders/<int:pk>/", orders.order_detail, name="order-detail"),
    path("orders/<int:pk>/edit/", orders.order_edit, name="order-edit"),
    path("orders/<int:pk>/number/", orders.order_number, name="order-number"),
    path("orders/<int:pk>/reorder/", orders.order_reorder, name="order-reorder"),
    path("orders/<int:pk>/details/", details.order_details, name="order-details"),
    path(
        "orders/<int:pk>/details/<int:detail_pk>/edit/",
        details.order_detail_edit,
        name="order-detail-edit",
    ),
    path(
        "orders/<int:pk>/details/<int:detail_pk>/move/",
        details.order_detail_move,
        name="order-detail-move",
    ),
    path(
        "orders/<int:pk>/details/<int:detail_pk>/delete/",
        details.order_detail_delete,
        name="order-detail-delete",
    ),
    path("print/", orders.print_orders, name="print"),
    path(
        "invoices/<int:pk>/orders/new/",
        invoice_orders.invoice_orders_create,
        name="orders-create",
    ),
    path(
        "sessions/<int:pk>/proof-orders/new/",
        proof_orders.proof_order_create,
        name="proof-order-create",
    ),
    path("proof-orders/<int:pk>/", proof_orders.proof_order_detail, name="proof-order-detail"),
    path("proof-orders/<int:pk>/edit/", proof_orders.proof_order_edit, name="proof-order-edit"),
]
