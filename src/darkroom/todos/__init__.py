"""The studio's tasks and phone calls ("Tasks" in the UI; ``tasks`` names background jobs)."""
