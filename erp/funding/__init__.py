"""Donations, sponsorship, apprenticeship tax and subsidies; the self-financing monitor."""
