"""Who did what: one audit trail that every domain writes to."""
