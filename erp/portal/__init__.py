"""The client's private pages, reached through signed, expiring, revocable links."""
