"""Pages for clients, sessions and invoices, one module per record (``clients``, ``sessions``,
``invoices``), ``listing`` for what their lists share and ``editing`` for their forms and delete
buttons."""
