"""The maintenance pages: every list of the registry (``records``), the studio's preferences and
people (``studio``), and the list page both share (``listing``)."""
