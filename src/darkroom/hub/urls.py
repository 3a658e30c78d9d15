"""The hub's pages, under /production/: the list of open orders and the board, and the pieces
htmx asks for (the next rows, a column's next cards, the summary strip, a card moved)."""

from django.urls import path

from darkroom.hub import board, views

app_name = "hub"
urlpatterns = [
    path("", views.hub_list, name="list"),
    path("rows/", views.hub_rows, name="rows"),
    path("summary/", views.hub_summary_strip, name="summary"),
    path("bulk-status/", views.hub_bulk, name="bulk"),
    path("board/", board.board_page, name="board"),
    path("board/columns/<int:status_id>/", board.board_column_page, name="board-column"),
    path("board/move/", board.card_move, name="move"),
]
