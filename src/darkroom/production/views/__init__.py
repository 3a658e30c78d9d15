"""Production's pages, one module per topic: the scan station (``scans``), a production order's
page, its actions and printing (``orders``), its detail lines (``details``), making an
invoice's orders (``invoice_orders``), a session's proof orders (``proof_orders``), the
all-orders list and the "Production" section of a client's, session's or invoice's page
(``order_list``), and Maintenance › Production automation (``automation``).

``/production/`` itself is the production hub (``hub:list``, darkroom/hub/).
"""
