"""Pages for clients, sessions and invoices, one module per record (``clients``, ``sessions``,
``invoices``) and ``listing`` for what their lists share."""
