"""The hub's pages, under /production/: the list of open orders and the board, and the pieces
htmx asks for (the next rows, a column's next cards, the summary strip, a card moved)."""

from django.urls import path

from darkroom.hub.views import board, hub_list

app_name = "hub"
urlpatterns = [
    path("", hub_list.hub_list, name="list"),
    path("rows/", hub_list.hub_rows, name="rows"),
    path("summary/", hub_list.hub_summary_strip, name="summary"),
    path("bulk-status/", hub_list.hub_bulk, name="bulk"),
    path("board/", board.board_page, name="board"),
    path("board/columns/<int:status_id>/", board.board_column_page, name="board-column"),
    path("board/move/", board.card_move, name="move"),
]
