"""Quotes (devis): lines, totals, the internal costing estimate, sending and acceptance."""
