"""Render a Jinja template to PDF with WeasyPrint."""
import base64

from flask import render_template
from flask_babel import force_locale
from weasyprint import HTML

from erp.settings.models import School


def logo_data_uri(school: School) -> str | None:
    """The school's logo inlined, so the PDF needs no request to the app."""
    if not school.logo:
        return None
    return f"data:{school.logo_mimetype};base64,{base64.b64encode(school.logo).decode()}"


def render_pdf(template: str, pdf_variant: str | None = None, identifier: str | None = None, **context) -> bytes:
    """The template rendered in French (documents are French whatever the user's language), as PDF bytes;
    `pdf_variant="pdf/a-3b"` for the archival form an e-invoice is carried in."""
    with force_locale("fr"):
        html = render_template(template, **context)
    options = {"pdf_variant": pdf_variant, "pdf_identifier": identifier.encode()} if pdf_variant else {}
    return HTML(string=html).write_pdf(**options)
