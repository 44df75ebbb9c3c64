"""Atelier's benchmark: ten years of a large school, every main page, issuing and the Excel export, each
measured beside the floor the libraries set (`python -m bench`, see README)."""
