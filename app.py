"""WSGI entry point: gunicorn 'app:app'."""
from erp import create_app, shell_context

app = create_app()
app.shell_context_processor(shell_context)
