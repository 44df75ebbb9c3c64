"""Sections (trades), students, teams; later jobs, time entries and job costing."""
