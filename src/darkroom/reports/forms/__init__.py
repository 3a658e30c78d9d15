"""The reports' filters, read from the address (a GET form) the same way by the pages, the
exports and the API, so a bookmarked report, its Excel file, its PDF and an integrator's request
mean the same records. A bad value is refused beside its field (the page) or as a 422 naming the
parameter (the API), never silently dropped: a filter that named nothing would show every
record. What they share is in ``common.py``; one module per report."""
