"""Pages of the status engine: the studio's cycles (Maintenance › Statuses) and status changes."""
