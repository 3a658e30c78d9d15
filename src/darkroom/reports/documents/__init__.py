"""Reports on paper (PDF) and in Excel, from the same filter and reads as the page: what every
printed report shares (``sheet.py``), then one module per report (``status.py``, ``reorders.py``,
``profit.py``)."""
