"""The studio's pages: home (``home``), a person's password and API tokens (``account``), and
Maintenance › Calendar (``calendar``, its forms in ``studio/calendar_forms.py``)."""
