"""Messaging's pages: the review queue, the outbox, failed messages and the dry run under
``/messages/`` (``review``), and Maintenance › Message templates (``message_templates``) and
› Triggers (``triggers``)."""
