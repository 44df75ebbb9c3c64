"""Outgoing e-mail: SMTP when configured, an outbox that the demo reads otherwise; every message is logged."""
