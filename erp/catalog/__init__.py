"""What the school sells (catalog items) and what it uses (materials)."""
