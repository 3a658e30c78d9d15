"""The all-orders list: every production and proof order, open and finished, a page at a time.

Why it is shaped this way: the hub (``hub/selectors/``) reads open orders only, through
partial indexes; this list reads the history too (a million orders, most finished), so every
sort reads an index in its own order, from the page's cursor, and stops when the page is full
(``production/migrations/0009_order_list_indexes.py`` and ``0011_order_list_sorts.py``).
Page 400 costs what page 1 does, and nothing counts the orders.

* Pages are by *keyset*: a page starts after the last row of the one before (its sort values,
  id and kind, in an opaque cursor). Every sort ends on the id, so ties neither repeat nor
  skip an order; orders with no value (a finished order's due date, an open order's completed
  date, an order not started in its cycle) come last whichever the direction.
* By a column of the order (number, order date, due date, completed date): the orders with a
  value, read through the index of (column, id), then the empty ones through the same index.
  The number sorts as a number ("9" before "10": ``production.numbers.number_order_sql``).
* By a vendor, order type or status: their names are few, so they are put in order here, and
  each one's orders are read in id order (an index of the reference and the id) until the
  page is full. Proof orders are one type, "Proofs", among the order types' names.
* By client: the clients are read in name order a batch at a time (their index of names), and
  the batch's orders through the index of orders by client.
* Production and proof orders live in two tables: each is asked for what the page still needs
  and the two are merged here, by kind on a tie (production first).
* A search with a digit is an order number: the studio's, as a prefix ("48" finds 48, 480,
  4812; a leading "#" is ignored), or the vendor's own number, equal. Other text is a client's
  name (``clients.name_search.clients_named``: each word starts the first or last name).
* The export walks the same query in chunks (``iter_orders``): memory stays flat however many.
"""
