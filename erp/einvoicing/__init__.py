"""E-invoicing: every issued document as Factur-X EN 16931, validated offline, and the pluggable ways to send it."""
