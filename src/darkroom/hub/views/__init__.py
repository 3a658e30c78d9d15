"""The hub's pages under /production/: the list of open orders with its summary strip and bulk
status change (``hub_list``), and the board (``board``)."""
