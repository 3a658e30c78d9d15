"""The hub's reads of open orders, one topic a module (nothing is imported from here: each
caller names the module it reads from).

* ``pages``: a page of the open orders a filter asks for, and a board's column, as rows shown.
* ``page_query``: one table's rows of a page, one query; ``page_columns``: what it reads of
  each order, by name.
* ``keyset``: the rows after a cursor, as SQL an index starts at; ``cursors``: the cursor.
* ``sorts``: the sorts offered, as each table's SQL.
* ``conditions``: what a filter asks for, as WHERE conditions; ``at_risk``: the at-risk rule
  as SQL; ``order_kinds``: production and preproduction orders, the two tables.

The summary strip (``hub/summary.py``) counts with the same conditions.
"""
