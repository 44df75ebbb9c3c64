"""PDF rendering of quotes and invoices from the same Jinja templates as the pages."""
