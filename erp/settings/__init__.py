"""The school's identity and legal settings, and its fiscal years."""
